import RTMP

/// Why the ingest listener closed a connection or could not start.
public enum IngestError: Error, CustomStringConvertible {
    /// The peer broke the RTMP protocol or one of its limits.
    case protocolViolation(RTMPError)
    /// The media sink refused a message of the publish on `channel`.
    case sinkFailed(channel: String, kind: FLVTagKind, timestamp: UInt32, underlying: any Error)
    /// The listener stopped before it was bound.
    case notBound
    /// An `onCuePoint` of a publish could not be read; the publish goes on without it.
    case invalidCuePoint(String)
    /// A TLS certificate or key file (RTMPS, HTTPS) is missing, unreadable or wrong.
    case tlsCredentials(path: String, reason: String)

    public var description: String {
        switch self {
        case .protocolViolation(let error):
            return "protocol error: \(error)"
        case .sinkFailed(let channel, let kind, let timestamp, let underlying):
            return "media sink of channel \(channel) rejected \(kind) at \(timestamp) ms: \(underlying)"
        case .notBound:
            return "the RTMP listener stopped before it was bound"
        case .invalidCuePoint(let reason):
            return "onCuePoint ignored: \(reason)"
        case .tlsCredentials(let path, let reason):
            return "TLS certificate or key \(path): \(reason)"
        }
    }
}
