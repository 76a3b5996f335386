import NIOCore

/// One complete RTMP message (RTMP spec §6.1): the unit the chunk stream carries.
public struct RTMPMessage: Sendable, Equatable {
    /// The chunk stream it arrived on, or the one to send it on (RTMP spec §5.3.1.1).
    public var chunkStreamID: UInt32
    public var typeID: RTMPMessageType
    /// Absolute, in milliseconds, already resolved from deltas and extended timestamps.
    public var timestamp: UInt32
    /// 0 for the NetConnection, the id `createStream` returned for a NetStream (RTMP spec §6.1.1).
    public var messageStreamID: UInt32
    public var payload: ByteBuffer

    public init(chunkStreamID: UInt32, typeID: RTMPMessageType, timestamp: UInt32 = 0, messageStreamID: UInt32 = 0, payload: ByteBuffer) {
        self.chunkStreamID = chunkStreamID
        self.typeID = typeID
        self.timestamp = timestamp
        self.messageStreamID = messageStreamID
        self.payload = payload
    }
}

/// The message type id of RTMP spec §5.4 (protocol control), §6.2 (user control) and §7.1 (commands, data, media).
public struct RTMPMessageType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let setChunkSize = RTMPMessageType(rawValue: 1)
    public static let abort = RTMPMessageType(rawValue: 2)
    public static let acknowledgement = RTMPMessageType(rawValue: 3)
    public static let userControl = RTMPMessageType(rawValue: 4)
    public static let windowAcknowledgementSize = RTMPMessageType(rawValue: 5)
    public static let setPeerBandwidth = RTMPMessageType(rawValue: 6)
    public static let audio = RTMPMessageType(rawValue: 8)
    public static let video = RTMPMessageType(rawValue: 9)
    public static let amf3Data = RTMPMessageType(rawValue: 15)
    public static let amf3SharedObject = RTMPMessageType(rawValue: 16)
    public static let amf3Command = RTMPMessageType(rawValue: 17)
    public static let amf0Data = RTMPMessageType(rawValue: 18)
    public static let amf0SharedObject = RTMPMessageType(rawValue: 19)
    public static let amf0Command = RTMPMessageType(rawValue: 20)
    public static let aggregate = RTMPMessageType(rawValue: 22)

    public var description: String { "type \(rawValue)" }
}

/// Chunk stream ids Antenne uses when it sends (RTMP spec §5.3.1.1 reserves 2 for protocol control).
public enum RTMPChunkStreamID {
    public static let protocolControl: UInt32 = 2
    public static let command: UInt32 = 3
    public static let streamCommand: UInt32 = 5
}
