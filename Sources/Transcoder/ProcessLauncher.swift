import Foundation
import NIOCore

/// Starts child processes (FFmpeg) that cannot outlive the server, even when it is killed with
/// SIGKILL and runs no code of its own on the way out.
///
/// Linux's parent-death signal (`prctl(PR_SET_PDEATHSIG)`) does that, but it must be set in the
/// child between fork and exec, which `Process` cannot do; util-linux's `setpriv --pdeathsig KILL`
/// sets it and then executes the real command. The signal fires when the *thread* that started
/// the child ends, so children are started from an event loop thread, which lives as long as the
/// process.
public enum ProcessLauncher {
    /// util-linux, which every Debian system has (it is Essential).
    static let setpriv = "/usr/bin/setpriv"

    /// Configures `process` to run `executable` with `arguments`, tied to this process's life
    /// where the system allows it.
    public static func configure(_ process: Process, executable: String, arguments: [String]) {
        if FileManager.default.isExecutableFile(atPath: setpriv) {
            process.executableURL = URL(fileURLWithPath: setpriv)
            process.arguments = ["--pdeathsig", "KILL", "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
    }

    /// Starts `process` from a thread of `loop`.
    public static func start(_ process: Process, on loop: any EventLoop) async throws {
        let box = UncheckedProcess(process)
        try await loop.submit { try box.process.run() }.get()
    }
}

/// `Process` is not Sendable; it is handed to one event loop task and used there only.
private struct UncheckedProcess: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}
