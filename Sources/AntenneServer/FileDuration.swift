import Foundation
import NIOPosix
import Transcoder

/// A media file's duration, from ffprobe's `format=duration` (seconds with six decimals).
enum FileDuration {
    /// ffprobe's answer is one number of a few dozen bytes; more is not a duration.
    static let maximumAnswerBytes = 64
    /// ffprobe reads a file's header in a fraction of a second. Ten seconds means it hangs (a file
    /// on a stalled network mount, a FIFO): it is killed, and the file has no known duration.
    static let timeout = Duration.seconds(10)

    /// The duration of `path` in milliseconds; nil when ffprobe gives none (a stream without one)
    /// or takes longer than `timeout`.
    static func milliseconds(of path: String, ffprobe: String, timeout: Duration = timeout) async throws -> Int64? {
        let process = Process()
        ProcessLauncher.configure(
            process, executable: ffprobe,
            arguments: ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", path])
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { exited.continuation.yield($0.terminationStatus); exited.continuation.finish() }
        try await ProcessLauncher.start(process, on: MultiThreadedEventLoopGroup.singleton.next())
        let pid = process.processIdentifier
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            kill(pid, SIGKILL)
        }
        defer { watchdog.cancel() }
        // A blocking read: on NIO's blocking pool, never on a concurrency thread the slate
        // player and everything else share.
        let output = pipe.fileHandleForReading
        let data = try await NIOThreadPool.singleton.runIfActive { try output.readToEnd() ?? Data() }
        var status: Int32 = -1
        for await code in exited.stream { status = code }
        guard status == 0, data.count <= maximumAnswerBytes else { return nil }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// `12.345000` → 12345; nil for anything but decimal seconds.
    static func parse(_ text: String) -> Int64? {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let seconds = Int64(parts[0]), seconds >= 0, seconds < Int64.max / 1_000 else { return nil }
        let fraction = parts.count == 2 ? String(parts[1].prefix(3)) : ""
        guard fraction.allSatisfy(\.isASCII), let thousandths = Int64(fraction.padding(toLength: 3, withPad: "0", startingAt: 0)), thousandths >= 0 else {
            return nil
        }
        return seconds * 1_000 + thousandths
    }
}
