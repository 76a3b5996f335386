import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import Transcoder

/// A permanent test stream: ffmpeg's test pattern with a burnt-in UTC wall clock and a beeping tone,
/// encoded like a typical OBS setup (H.264 High, 2 s GOP, AAC) and published over RTMP.
public enum TestSource {
    public static func ffmpegArguments(url: String, width: Int = 1280, height: Int = 720, frameRate: Int = 30) -> [String] {
        let clock = "drawtext=text='%{gmtime\\:%H\\\\\\:%M\\\\\\:%S} UTC':fontsize=\(height / 12):fontcolor=white"
            + ":box=1:boxcolor=black@0.55:boxborderw=12:x=(w-tw)/2:y=h-th-\(height / 18)"
        return [
            "-hide_banner", "-loglevel", "error", "-nostdin",
            "-re", "-f", "lavfi", "-i", "testsrc2=size=\(width)x\(height):rate=\(frameRate)",
            "-re", "-f", "lavfi", "-i", "sine=frequency=1000:beep_factor=4:sample_rate=48000",
            "-vf", clock,
            "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "high",
            "-pix_fmt", "yuv420p", "-b:v", "2500k", "-maxrate", "2500k", "-bufsize", "5000k",
            "-g", "\(frameRate * 2)", "-keyint_min", "\(frameRate * 2)", "-sc_threshold", "0",
            "-c:a", "aac", "-b:a", "128k", "-ac", "2",
            "-f", "flv", url,
        ]
    }
}

/// Runs ffmpeg with the given arguments until shutdown, restarting it (with backoff) when it exits.
/// Its ffmpeg cannot outlive the server (``ProcessLauncher``).
final class FFmpegPublisherService: Service, Sendable {
    let ffmpeg: String
    let logger: Logger
    /// The ffmpeg arguments, known once the RTMP listener is up.
    let makeArguments: @Sendable () async throws -> [String]

    init(ffmpeg: String, logger: Logger, makeArguments: @escaping @Sendable () async throws -> [String]) {
        self.ffmpeg = ffmpeg
        self.logger = logger
        self.makeArguments = makeArguments
    }

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            let arguments = try await self.makeArguments()
            var backoff: Duration = .milliseconds(500)
            while !Task.isCancelled {
                let started = ContinuousClock.now
                let status = try await self.runOnce(arguments)
                if Task.isCancelled { break }
                if ContinuousClock.now - started > .seconds(30) { backoff = .milliseconds(500) }
                self.logger.warning("test source ffmpeg exited with status \(status); restarting in \(backoff)")
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(10))
            }
        }
    }

    /// Starts ffmpeg and waits for it; on cancellation (graceful shutdown included) it is
    /// terminated, and waited for.
    private func runOnce(_ arguments: [String]) async throws -> Int32 {
        let process = Process()
        ProcessLauncher.configure(process, executable: ffmpeg, arguments: arguments)
        process.standardInput = FileHandle.nullDevice
        let exit = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { p in
            exit.continuation.yield(p.terminationStatus)
            exit.continuation.finish()
        }
        try await ProcessLauncher.start(process, on: MultiThreadedEventLoopGroup.singleton.next())
        let box = ProcessBox(process)
        return await withTaskCancellationHandler {
            var iterator = exit.stream.makeAsyncIterator()
            return await iterator.next() ?? -1
        } onCancel: {
            box.terminate()
        }
    }
}

/// `Process` is not Sendable; terminating it from a cancellation handler is safe.
private final class ProcessBox: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
    func terminate() {
        if process.isRunning { process.terminate() }
    }
}
