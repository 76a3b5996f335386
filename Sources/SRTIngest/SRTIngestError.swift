import CSRT

/// Why the SRT listener could not start, or closed a connection.
public enum SRTIngestError: Error, CustomStringConvertible {
    /// A libsrt call failed: which, and libsrt's message.
    case library(call: String, message: String)
    /// The host is not an IPv4 or IPv6 address (SRT binds an address, not a name).
    case badHost(String)

    public var description: String {
        switch self {
        case .library(let call, let message): "\(call) failed: \(message)"
        case .badHost(let host): "SRT cannot listen on '\(host)': give an IPv4 or IPv6 address"
        }
    }

    /// The failure of the libsrt call just made on this thread.
    static func last(_ call: String) -> SRTIngestError {
        .library(call: call, message: String(cString: srt_getlasterror_str()))
    }
}
