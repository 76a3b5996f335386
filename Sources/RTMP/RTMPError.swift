/// Every failure the RTMP module reports: a protocol violation by the peer or a breached limit.
/// Each case carries enough context to write one useful log line.
public enum RTMPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// C0 asked for a protocol version other than 3 (RTMP spec §5.2.2).
    case unsupportedVersion(UInt8)
    /// A Set Chunk Size message carried 0, a value above 2^31-1 (RTMP spec §5.4.1) or above our limit.
    case invalidChunkSize(UInt32, limit: Int)
    /// A message header announced a length above ``RTMPLimits/maximumMessageLength``.
    case messageTooLong(length: Int, limit: Int, chunkStreamID: UInt32)
    /// More chunk streams than ``RTMPLimits/maximumChunkStreams`` were opened.
    case tooManyChunkStreams(limit: Int)
    /// Partially received messages across all chunk streams exceed ``RTMPLimits/maximumBufferedBytes``.
    case tooManyBufferedBytes(limit: Int)
    /// A type 1, 2 or 3 chunk header arrived on a chunk stream that never had a type 0 header
    /// (RTMP spec §5.3.1.2).
    case missingPreviousHeader(chunkStreamID: UInt32, format: UInt8)
    /// A protocol control or user control message whose payload is too short (RTMP spec §5.4, §6.2).
    case truncatedControlMessage(typeID: UInt8)
    /// Malformed AMF0 (AMF0 spec §2): unknown marker, truncated value, invalid UTF-8, ...
    case invalidAMF0(String)
    /// AMF0 containers nested deeper than ``AMF0Limits/maximumDepth``.
    case amf0TooDeep(limit: Int)
    /// More AMF0 values in one message than ``AMF0Limits/maximumValueCount``.
    case amf0TooManyValues(limit: Int)
    /// A command message that does not start with a name and a transaction id (RTMP spec §7.1.1).
    case malformedCommand(String)
    /// A handshake that did not complete in time.
    case handshakeTimeout
    /// No inbound byte for the configured idle time.
    case idleTimeout

    public var description: String {
        switch self {
        case .unsupportedVersion(let version):
            return "unsupported RTMP version \(version) in C0 (expected 3)"
        case .invalidChunkSize(let size, let limit):
            return "invalid Set Chunk Size \(size) (allowed 1...\(limit))"
        case .messageTooLong(let length, let limit, let csid):
            return "message length \(length) on chunk stream \(csid) exceeds the limit of \(limit) bytes"
        case .tooManyChunkStreams(let limit):
            return "more than \(limit) chunk streams opened"
        case .tooManyBufferedBytes(let limit):
            return "partially received messages exceed \(limit) bytes"
        case .missingPreviousHeader(let csid, let format):
            return "chunk header type \(format) on chunk stream \(csid) without a preceding type 0 header"
        case .truncatedControlMessage(let typeID):
            return "truncated control message of type \(typeID)"
        case .invalidAMF0(let detail):
            return "invalid AMF0: \(detail)"
        case .amf0TooDeep(let limit):
            return "AMF0 nesting deeper than \(limit)"
        case .amf0TooManyValues(let limit):
            return "more than \(limit) AMF0 values in one message"
        case .malformedCommand(let detail):
            return "malformed command: \(detail)"
        case .handshakeTimeout:
            return "handshake timed out"
        case .idleTimeout:
            return "no data received within the idle timeout"
        }
    }
}
