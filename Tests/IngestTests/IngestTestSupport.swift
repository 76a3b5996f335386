import Foundation
import Hub
import Ingest
import Logging
import NIOCore
import NIOPosix
import RTMP
import ServiceLifecycle
import Synchronization
import Testing
import TestSupport

/// Maps stream keys to channel names; the grant's credential is the channel name too.
struct TestAuthorizer: PublishAuthorizer {
    var channels: [String: String]
    func authorize(_ request: PublishRequest) async -> PublishGrant? {
        channels[request.streamKey].map { PublishGrant(channel: $0, credential: "key-of-\($0)") }
    }
}

/// A MediaSink that records what it receives and finishes its publisher on close.
final class RecordingSink: MediaSink, Sendable {
    struct Media: Sendable {
        var kind: FLVTagKind
        var timestamp: UInt32
        var header: [UInt8]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String { "test sink refuses media" }
    }

    struct State: Sendable {
        var metadata: [[String: MetadataValue]] = []
        var media: [Media] = []
        var cuePoints: [(value: AMF0Value, timestamp: UInt32)] = []
        var closeCount = 0
    }

    let channelName: String
    private let publisher: HubPublisher
    private let throwAtMessage: Int?
    private let state = Mutex(State())

    init(publisher: HubPublisher, throwAtMessage: Int?) {
        self.publisher = publisher
        self.channelName = publisher.channel.name
        self.throwAtMessage = throwAtMessage
    }

    var snapshot: State { state.withLock { $0 } }

    func metadata(_ properties: [String: MetadataValue]) {
        state.withLock { $0.metadata.append(properties) }
    }

    func media(_ kind: FLVTagKind, timestamp: UInt32, body: ByteBuffer) throws {
        let count = state.withLock { state in
            state.media.append(Media(kind: kind, timestamp: timestamp, header: Array(body.readableBytesView.prefix(5))))
            return state.media.count
        }
        if let throwAtMessage, count >= throwAtMessage { throw Failure() }
    }

    func cuePoint(_ value: AMF0Value, timestamp: UInt32) throws {
        state.withLock { $0.cuePoints.append((value, timestamp)) }
    }

    func close() {
        state.withLock { $0.closeCount += 1 }
        publisher.finish()
    }
}

final class SinkFactory: Sendable {
    private let sinks = Mutex<[RecordingSink]>([])
    let throwAtMessage: Int?

    init(throwAtMessage: Int? = nil) { self.throwAtMessage = throwAtMessage }

    func make(_ publisher: HubPublisher) -> any MediaSink {
        let sink = RecordingSink(publisher: publisher, throwAtMessage: throwAtMessage)
        sinks.withLock { $0.append(sink) }
        return sink
    }

    var all: [RecordingSink] { sinks.withLock { $0 } }
}

/// A running RTMPIngestService on a free port.
struct IngestHarness {
    let port: Int
    let hub: Hub
    let sinks: SinkFactory
    let logs: LogCapture
    let publishes: LivePublishes
    let group: any EventLoopGroup
    let serviceGroup: ServiceGroup
}

/// Runs `body` against a service inside a ServiceGroup, then shuts it down gracefully.
func withIngest<T: Sendable>(
    keys: [String: String] = ["s3cr3t-k3y-A": "studio", "s3cr3t-k3y-B": "newsroom"],
    sinks: SinkFactory = SinkFactory(),
    configure: (inout RTMPIngestConfiguration) -> Void = { _ in },
    tls: TLSCredentials? = nil,
    _ body: (IngestHarness) async throws -> T
) async throws -> T {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    let logs = LogCapture()
    let logger = logs.logger(label: "antenne.ingest.test")
    var configuration = RTMPIngestConfiguration(host: "127.0.0.1", port: 0)
    configure(&configuration)
    let hub = Hub()
    let publishes = LivePublishes(logger: logger)
    let service = RTMPIngestService(
        configuration: configuration,
        gateway: PublishGateway(hub: hub, authorizer: TestAuthorizer(channels: keys), publishes: publishes, logger: logger),
        makeSink: { sinks.make($0) }, tls: tls, eventLoopGroup: group, logger: logger
    )
    let serviceGroup = ServiceGroup(configuration: .init(services: [service], logger: logger))
    let result: Result<T, any Error>
    do {
        result = try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await serviceGroup.run() }
            let port = try await service.boundPort()
            let harness = IngestHarness(port: port, hub: hub, sinks: sinks, logs: logs, publishes: publishes, group: group, serviceGroup: serviceGroup)
            let outcome: Result<T, any Error>
            do { outcome = .success(try await body(harness)) } catch { outcome = .failure(error) }
            await serviceGroup.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return outcome
        }
    } catch {
        try await group.shutdownGracefully()
        throw error
    }
    try await group.shutdownGracefully()
    return try result.get()
}

/// Publishes a lavfi test pattern with real ffmpeg; returns its exit status and standard error.
/// `scheme` rtmps publishes over TLS, without verifying the server's certificate.
func ffmpegPublish(port: Int, key: String, seconds: Int = 3, scheme: String = "rtmp") async throws -> (status: Int32, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
    process.arguments = [
        "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine",
        "-t", "\(seconds)", "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-bf", "2", "-c:a", "aac",
    ] + (scheme == "rtmps" ? ["-tls_verify", "0"] : []) + [
        "-f", "flv", "\(scheme)://127.0.0.1:\(port)/live/\(key)",
    ]
    let errors = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
        do { try process.run() } catch { continuation.resume(throwing: error) }
    }
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return (status, text)
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(5), _ condition: () -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return condition()
}

/// A raw TCP client for abusive peers.
func rawConnection(port: Int, group: any EventLoopGroup) async throws -> any Channel {
    try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get()
}

/// True if the server closes `channel` within `timeout`; otherwise closes it and returns false.
func serverCloses(_ channel: any Channel, within timeout: Duration) async -> Bool {
    await withTaskGroup(of: Bool.self) { tasks in
        tasks.addTask {
            do { try await channel.closeFuture.get() } catch { return true }
            return true
        }
        tasks.addTask {
            do { try await Task.sleep(for: timeout) } catch { return true }
            return false
        }
        let first = await tasks.next() ?? false
        // Make the close-future task finish in every case.
        channel.close(promise: nil)
        tasks.cancelAll()
        return first
    }
}

/// C0, a zeroed C1 (simple handshake) and a zeroed C2: enough to reach the chunk stream.
func handshakeBytes() -> ByteBuffer {
    var buffer = ByteBuffer()
    buffer.writeInteger(UInt8(3))
    buffer.writeRepeatingByte(0, count: 1536 * 2)
    return buffer
}
