import CSRT

/// Why an attempt of an ``SRTPull`` did not end in a publish, one case per thing the operator
/// does differently about it. None carries the passphrase or the stream id.
enum SRTPullFailure: Sendable, Hashable, CustomStringConvertible {
    /// A libsrt call failed before the connection was tried: which, and libsrt's message.
    case library(String)
    /// No answer within libsrt's connect timeout (`SRT_REJ_TIMEOUT`): nothing listens there, or
    /// the network drops the packets.
    case noAnswer
    /// The encoder has another passphrase (`SRT_REJ_BADSECRET`).
    case wrongPassphrase
    /// One side has a passphrase and the other none (`SRT_REJ_UNSECURE`).
    case encryptionMismatch
    /// The encoder refused the caller (`SRT_REJ_PEER`, or an application code of the SRT Access
    /// Control guidelines such as `SRT_REJX_BAD_REQUEST` 1400 for a stream id it does not take).
    case refusedByEncoder(code: Int32)
    /// Any other rejection libsrt reports: its code and text.
    case rejected(code: Int32, String)
    /// The connection was made and then closed before it published: why (a refused publish, a
    /// stream that cannot be demuxed, the encoder gone), as the listener says it.
    case closed(String)

    /// The failure of a connection attempt whose socket libsrt reports broken.
    init(rejectReason reason: Int32) {
        switch reason {
        case Int32(SRT_REJ_TIMEOUT.rawValue): self = .noAnswer
        case Int32(SRT_REJ_BADSECRET.rawValue): self = .wrongPassphrase
        case Int32(SRT_REJ_UNSECURE.rawValue): self = .encryptionMismatch
        case Int32(SRT_REJ_PEER.rawValue), SRT_REJX_FALLBACK...: self = .refusedByEncoder(code: reason)
        default: self = .rejected(code: reason, String(cString: srt_rejectreason_str(reason)))
        }
    }

    var description: String {
        switch self {
        case .library(let message): message
        case .noAnswer: "the encoder does not answer (is it listening on that address and port?)"
        case .wrongPassphrase: "the encoder has another passphrase"
        case .encryptionMismatch: "one side has a passphrase and the other none"
        case .refusedByEncoder(let code): "the encoder refused the connection (SRT rejection code \(code); check the stream id)"
        case .rejected(let code, let text): "the connection failed: \(text) (SRT rejection code \(code))"
        case .closed(let reason): reason
        }
    }
}
