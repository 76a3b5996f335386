import CSRT
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// libsrt's own log lines, which it writes to stderr by default: sent to the `antenne.srt` logger
/// at debug level instead. They describe one peer each (a datagram that is not SRT, a rejected
/// handshake, a decryption failure), which the listener already reports in its own words.
enum SRTLibraryLog {
    /// Installs the handler once per process (libsrt's log configuration is global).
    static func install() {
        _ = installed
    }

    private static let installed: Void = {
        srt_setloghandler(nil, forward)
        srt_setloglevel(LOG_WARNING)
    }()

    static let logger = Logger(label: "antenne.srt")
}

private func forward(
    opaque: UnsafeMutableRawPointer?, level: Int32, file: UnsafePointer<CChar>?, line: Int32, area: UnsafePointer<CChar>?,
    message: UnsafePointer<CChar>?
) {
    guard let message else { return }
    var text = String(cString: message)
    while text.last?.isNewline == true { text.removeLast() }
    SRTLibraryLog.logger.debug("libsrt: \(text)")
}
