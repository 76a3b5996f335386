import Foundation

/// How an FFmpeg child ended.
public struct FFmpegExit: Sendable, Hashable {
    /// The exit status, or 128 + n when signal n killed it (the shell's convention).
    public let status: Int32
    /// The signal that killed it, if one did.
    public let signal: Int32?

    public init(status: Int32, signal: Int32? = nil) {
        self.status = status
        self.signal = signal
    }

    /// Foundation reports a signal's number as the termination status; the reason tells them apart.
    init(_ process: Process) {
        if process.terminationReason == .uncaughtSignal {
            self.init(status: 128 + process.terminationStatus, signal: process.terminationStatus)
        } else {
            self.init(status: process.terminationStatus)
        }
    }
}
