import NIOCore

/// A command message (RTMP spec §7.1.1, §7.2): a name, a transaction id, a command object and
/// optional arguments, all AMF0.
public struct RTMPCommand: Sendable, Equatable {
    public var name: String
    public var transactionID: Double
    /// `null` when the command has none (for example `publish`, §7.2.2.6).
    public var commandObject: AMF0Value
    public var arguments: [AMF0Value]

    public init(name: String, transactionID: Double, commandObject: AMF0Value = .null, arguments: [AMF0Value] = []) {
        self.name = name
        self.transactionID = transactionID
        self.commandObject = commandObject
        self.arguments = arguments
    }

    /// Decodes an AMF0 command (type 20), or an AMF3 command (type 17) whose body is AMF0 after
    /// a leading 0 byte, as librtmp-based clients send it.
    public init(_ message: RTMPMessage, limits: AMF0Limits = .default) throws(RTMPError) {
        let values = try AMF0Decoder.decodeAll(Self.amf0Body(of: message), limits: limits)
        guard case .string(let name)? = values.first else { throw .malformedCommand("no command name") }
        guard values.count >= 2, case .number(let transactionID) = values[1] else {
            throw .malformedCommand("\(name) has no transaction id")
        }
        self.name = name
        self.transactionID = transactionID
        self.commandObject = values.count > 2 ? values[2] : .null
        self.arguments = Array(values.dropFirst(3))
    }

    /// The AMF0 part of a command or data message: AMF3 variants (types 15 and 17) start with a
    /// format byte of 0 (RTMP spec §7.1.1, §7.1.2).
    static func amf0Body(of message: RTMPMessage) -> ByteBuffer {
        var body = message.payload
        if message.typeID == .amf3Command || message.typeID == .amf3Data,
           body.getInteger(at: body.readerIndex, as: UInt8.self) == 0 {
            body.moveReaderIndex(forwardBy: 1)
        }
        return body
    }

    /// The message carrying this command.
    public func message(chunkStreamID: UInt32 = RTMPChunkStreamID.command, messageStreamID: UInt32 = 0) -> RTMPMessage {
        var payload = ByteBuffer()
        payload.writeAMF0(.string(name))
        payload.writeAMF0(.number(transactionID))
        payload.writeAMF0(commandObject)
        payload.writeAMF0(arguments)
        return RTMPMessage(chunkStreamID: chunkStreamID, typeID: .amf0Command, messageStreamID: messageStreamID, payload: payload)
    }
}
