import Foundation

/// A child process (ffmpeg, ffprobe) with captured output.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private let lock = NSLock()
    private var collected = Data()

    init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.collected.append(data) }
        }
        try process.run()
    }

    var text: String { lock.withLock { String(decoding: collected, as: UTF8.self) } }
    var isRunning: Bool { process.isRunning }

    /// Waits for exit (polling keeps the cooperative pool free), killing the process at the deadline.
    @discardableResult
    func wait(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill()
                return nil
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        output.fileHandleForReading.readabilityHandler = nil
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        lock.withLock { collected.append(rest) }
        return process.terminationStatus
    }

    func kill(signal: Int32 = SIGKILL) {
        if process.isRunning { Foundation.kill(process.processIdentifier, signal) }
    }

    deinit { kill() }

    /// Runs to completion and returns (status, output).
    static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(60)) async throws -> (Int32?, String) {
        let child = try ChildProcess(executable, arguments)
        let status = await child.wait(timeout: timeout)
        return (status, child.text)
    }
}

enum Publisher {
    /// A real encoder: 640x360 30 fps H.264 High with B-frames, 2 s GOP, AAC 48 kHz stereo.
    static func start(url: String, seconds: Int? = nil) throws -> ChildProcess {
        var args = ["-hide_banner", "-loglevel", "error", "-nostdin",
                    "-re", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
                    "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
        if let seconds { args += ["-t", "\(seconds)"] }
        args += ["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p", "-bf", "2",
                 "-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-b:v", "800k",
                 "-c:a", "aac", "-b:a", "96k", "-ac", "2", "-f", "flv", url]
        return try ChildProcess("ffmpeg", args)
    }
}
