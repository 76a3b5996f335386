import NIOCore

/// Protocol control messages (RTMP spec §5.4) and user control messages (§6.2), sent on chunk
/// stream 2 and message stream 0.
public enum RTMPControlMessage: Sendable, Equatable {
    /// §5.4.1
    case setChunkSize(UInt32)
    /// §5.4.2
    case abort(chunkStreamID: UInt32)
    /// §5.4.3: the number of bytes received so far.
    case acknowledgement(sequenceNumber: UInt32)
    /// §6.2
    case userControl(RTMPUserControlEvent)
    /// §5.4.4
    case windowAcknowledgementSize(UInt32)
    /// §5.4.5: limit type 0 hard, 1 soft, 2 dynamic.
    case setPeerBandwidth(UInt32, limitType: UInt8)

    /// Set Peer Bandwidth limit type "dynamic" (RTMP spec §5.4.5).
    public static let dynamicLimit: UInt8 = 2

    /// Decodes a control message; nil when `message` is not one.
    public init?(_ message: RTMPMessage) throws(RTMPError) {
        var payload = message.payload
        func read32() throws(RTMPError) -> UInt32 {
            guard let value = payload.readInteger(as: UInt32.self) else { throw .truncatedControlMessage(typeID: message.typeID.rawValue) }
            return value
        }
        switch message.typeID {
        case .setChunkSize: self = .setChunkSize(try read32())
        case .abort: self = .abort(chunkStreamID: try read32())
        case .acknowledgement: self = .acknowledgement(sequenceNumber: try read32())
        case .windowAcknowledgementSize: self = .windowAcknowledgementSize(try read32())
        case .setPeerBandwidth:
            let size = try read32()
            guard let type = payload.readInteger(as: UInt8.self) else { throw .truncatedControlMessage(typeID: message.typeID.rawValue) }
            self = .setPeerBandwidth(size, limitType: type)
        case .userControl:
            guard let event = payload.readInteger(as: UInt16.self) else { throw .truncatedControlMessage(typeID: message.typeID.rawValue) }
            self = .userControl(try RTMPUserControlEvent(type: event, data: &payload))
        default:
            return nil
        }
    }

    /// The message to send, on chunk stream 2 and message stream 0.
    public var message: RTMPMessage {
        var payload = ByteBuffer()
        let type: RTMPMessageType
        switch self {
        case .setChunkSize(let size):
            type = .setChunkSize
            payload.writeInteger(size)
        case .abort(let id):
            type = .abort
            payload.writeInteger(id)
        case .acknowledgement(let sequence):
            type = .acknowledgement
            payload.writeInteger(sequence)
        case .windowAcknowledgementSize(let size):
            type = .windowAcknowledgementSize
            payload.writeInteger(size)
        case .setPeerBandwidth(let size, let limitType):
            type = .setPeerBandwidth
            payload.writeInteger(size)
            payload.writeInteger(limitType)
        case .userControl(let event):
            type = .userControl
            event.write(to: &payload)
        }
        return RTMPMessage(chunkStreamID: RTMPChunkStreamID.protocolControl, typeID: type, payload: payload)
    }
}

/// User control events (RTMP spec §7.1.7).
public enum RTMPUserControlEvent: Sendable, Equatable {
    case streamBegin(streamID: UInt32)
    case streamEOF(streamID: UInt32)
    case streamDry(streamID: UInt32)
    case setBufferLength(streamID: UInt32, milliseconds: UInt32)
    case streamIsRecorded(streamID: UInt32)
    case pingRequest(timestamp: UInt32)
    case pingResponse(timestamp: UInt32)
    /// An event this module does not interpret (for example Flash's SWF verification, 26/27).
    case other(type: UInt16, data: ByteBuffer)

    init(type: UInt16, data: inout ByteBuffer) throws(RTMPError) {
        func read32() throws(RTMPError) -> UInt32 {
            guard let value = data.readInteger(as: UInt32.self) else { throw .truncatedControlMessage(typeID: RTMPMessageType.userControl.rawValue) }
            return value
        }
        switch type {
        case 0: self = .streamBegin(streamID: try read32())
        case 1: self = .streamEOF(streamID: try read32())
        case 2: self = .streamDry(streamID: try read32())
        case 3: self = .setBufferLength(streamID: try read32(), milliseconds: try read32())
        case 4: self = .streamIsRecorded(streamID: try read32())
        case 6: self = .pingRequest(timestamp: try read32())
        case 7: self = .pingResponse(timestamp: try read32())
        default: self = .other(type: type, data: data)
        }
    }

    func write(to buffer: inout ByteBuffer) {
        switch self {
        case .streamBegin(let id): buffer.writeInteger(UInt16(0)); buffer.writeInteger(id)
        case .streamEOF(let id): buffer.writeInteger(UInt16(1)); buffer.writeInteger(id)
        case .streamDry(let id): buffer.writeInteger(UInt16(2)); buffer.writeInteger(id)
        case .setBufferLength(let id, let ms): buffer.writeInteger(UInt16(3)); buffer.writeInteger(id); buffer.writeInteger(ms)
        case .streamIsRecorded(let id): buffer.writeInteger(UInt16(4)); buffer.writeInteger(id)
        case .pingRequest(let ts): buffer.writeInteger(UInt16(6)); buffer.writeInteger(ts)
        case .pingResponse(let ts): buffer.writeInteger(UInt16(7)); buffer.writeInteger(ts)
        case .other(let type, var data): buffer.writeInteger(type); buffer.writeBuffer(&data)
        }
    }
}
