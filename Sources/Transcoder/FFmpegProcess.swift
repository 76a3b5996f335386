import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// One running FFmpeg child. Its stdin, stdout and stderr are non-blocking NIO pipe channels, so no
/// thread ever blocks on it.
///
/// No orphans: FFmpeg is started with a parent-death signal (``ProcessLauncher``), so when Antenne goes
/// away, even by SIGKILL, FFmpeg is killed with it. A graceful stop closes stdin and escalates to
/// SIGTERM and SIGKILL if FFmpeg lingers.
public final class FFmpegProcess: Sendable {
    public let pid: Int32
    private let input: any Channel
    private let output: any Channel
    private let exit: EventLoopFuture<FFmpegExit>
    /// Bytes handed to stdin that the pipe has not taken yet, and the newest write.
    private let backlog = NIOLockedValueBox(0)
    private let lastWrite = NIOLockedValueBox<EventLoopFuture<Void>?>(nil)

    /// Bytes of media FFmpeg may fall behind on its input before samples are dropped: about 20 s
    /// of a 6 Mbit/s source. An FFmpeg slower than real time shows up here, not as memory growth.
    static let maximumBacklog = 16 * 1024 * 1024

    private init(pid: Int32, input: any Channel, output: any Channel, exit: EventLoopFuture<FFmpegExit>) {
        self.pid = pid
        self.input = input
        self.output = output
        self.exit = exit
    }

    /// Starts `executable` with `arguments`.
    /// - Parameters:
    ///   - output: receives stdout, on an event loop, in order.
    ///   - errorLine: receives each stderr line, without its newline, on an event loop.
    public static func launch(
        executable: String,
        arguments: [String],
        group: any EventLoopGroup,
        output: @escaping @Sendable (ByteBuffer) -> Void,
        errorLine: @escaping @Sendable (Substring) -> Void
    ) async throws -> FFmpegProcess {
        let process = Process()
        ProcessLauncher.configure(process, executable: executable, arguments: arguments)
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let loop = group.next()
        let exit = loop.makePromise(of: FFmpegExit.self)
        process.terminationHandler = { exit.succeed(FFmpegExit($0)) }
        try await ProcessLauncher.start(process, on: loop)

        // NIO takes duplicates of the parent's ends; Foundation's handles are closed right away so
        // that FFmpeg sees EOF on stdin as soon as NIO closes its copy.
        let inputFD = fcntl(stdin.fileHandleForWriting.fileDescriptor, F_DUPFD_CLOEXEC, 0)
        let outputFD = fcntl(stdout.fileHandleForReading.fileDescriptor, F_DUPFD_CLOEXEC, 0)
        let errorFD = fcntl(stderr.fileHandleForReading.fileDescriptor, F_DUPFD_CLOEXEC, 0)
        try? stdin.fileHandleForWriting.close()
        try? stdout.fileHandleForReading.close()
        try? stderr.fileHandleForReading.close()

        let bootstrap = NIOPipeBootstrap(group: loop)
        let inputChannel = try await bootstrap.takingOwnershipOfDescriptor(output: inputFD).get()
        let outputChannel = try await NIOPipeBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ForwardingHandler(output)) }
            }
            .takingOwnershipOfDescriptor(input: outputFD).get()
        _ = try await NIOPipeBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(LineHandler(errorLine)) }
            }
            .takingOwnershipOfDescriptor(input: errorFD).get()
        return FFmpegProcess(pid: process.processIdentifier, input: inputChannel, output: outputChannel, exit: exit.futureResult)
    }

    /// Queues bytes for stdin. Returns false, writing nothing, when FFmpeg is too far behind.
    public func write(_ buffer: ByteBuffer) -> Bool {
        let size = buffer.readableBytes
        let accepted = backlog.withLockedValue { backlog in
            guard backlog + size <= Self.maximumBacklog else { return false }
            backlog += size
            return true
        }
        guard accepted else { return false }
        let written = input.writeAndFlush(buffer)
        lastWrite.withLockedValue { $0 = written }
        written.whenComplete { [backlog] _ in backlog.withLockedValue { $0 -= size } }
        return true
    }

    var inputBacklog: Int { backlog.withLockedValue { $0 } }

    /// Ends FFmpeg's input once everything written has gone into the pipe (closing earlier
    /// would drop the pending writes): FFmpeg finishes what it has and exits.
    func closeInput() {
        let input = self.input
        if let pending = lastWrite.withLockedValue({ $0 }) {
            pending.whenComplete { _ in input.close(promise: nil) }
        } else {
            input.close(promise: nil)
        }
    }

    func signal(_ signal: Int32) {
        _ = kill(pid, signal)
    }

    /// How FFmpeg ended, once it has exited.
    public func waitForExit() async -> FFmpegExit {
        (try? await exit.get()) ?? FFmpegExit(status: -1)
    }

    /// Returns once stdout has been read to its end (everything FFmpeg wrote has been delivered).
    public func waitForOutputEnd() async {
        try? await output.closeFuture.get()
    }

    /// Stops FFmpeg: closes stdin, then SIGTERM after `grace`, then SIGKILL after another `grace`.
    public func stop(grace: Duration) async -> FFmpegExit {
        closeInput()
        for signal in [SIGTERM, SIGKILL] {
            let exited = await withTaskGroup(of: Bool.self) { group in
                group.addTask { _ = await self.waitForExit(); return true }
                group.addTask { try? await Task.sleep(for: grace); return false }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            if exited { break }
            self.signal(signal)
        }
        return await waitForExit()
    }
}

/// Hands every read on to a closure.
private final class ForwardingHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let deliver: @Sendable (ByteBuffer) -> Void

    init(_ deliver: @escaping @Sendable (ByteBuffer) -> Void) { self.deliver = deliver }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        deliver(unwrapInboundIn(data))
    }
}

/// Splits stderr into lines; a line longer than the limit is cut into pieces of the limit.
private final class LineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let deliver: @Sendable (Substring) -> Void
    private var pending = ""

    /// FFmpeg's progress lines are under 100 bytes and its error lines a few hundred.
    static let maximumLineLength = 4_096

    init(_ deliver: @escaping @Sendable (Substring) -> Void) { self.deliver = deliver }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readString(length: buffer.readableBytes) ?? ""
        while let newline = pending.firstIndex(of: "\n") {
            deliver(pending[..<newline].prefix(Self.maximumLineLength))
            pending = String(pending[pending.index(after: newline)...])
        }
        if pending.utf8.count > Self.maximumLineLength {
            deliver(pending.prefix(Self.maximumLineLength)[...])
            pending = ""
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !pending.isEmpty { deliver(pending[...]) }
        pending = ""
    }
}
