import NIOCore

/// The chunk stream decoder (RTMP spec §5.3) as a `NIOSingleStepByteToMessageDecoder`, so the same
/// parser runs in a channel pipeline, behind a `NIOSingleStepByteToMessageProcessor`, or in tests.
public struct RTMPChunkDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    public typealias InboundOut = RTMPMessage

    public private(set) var parser: RTMPChunkParser

    public init(limits: RTMPLimits = .default) {
        self.parser = RTMPChunkParser(limits: limits)
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> RTMPMessage? {
        while true {
            switch try parser.parse(&buffer) {
            case .needMoreData: return nil
            case .continueParsing: continue
            case .message(let message): return message
            }
        }
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RTMPMessage? {
        try decode(buffer: &buffer)
    }
}
