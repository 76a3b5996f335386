import Delivery
import Edge
import Hummingbird
import Logging
import NIOPosix
import ServiceLifecycle
import TestSupport

/// `antenne edge` in the test process: an edge relay of `origins` on a loopback port, served as
/// the command serves it.
final class TestEdge: Sendable {
    let relay: EdgeRelay
    let port: Int
    private let task: Task<Void, any Error>

    var url: String { "http://127.0.0.1:\(port)" }

    init(origins: [String], signer: PlaybackSigner? = nil) async throws {
        let relay = EdgeRelay(
            origins: origins, signer: signer, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: Logger(label: "edge") { _ in SwiftLogNoOpLogHandler() }, now: TestClock.now)
        let port = try FreePort.loopback()
        let router = Router()
        PageRoutes(packagers: relay.directory, access: relay.access, isReady: { true }).add(to: router)
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [relay.playbackRoutes().channelHandler(serverName: "Antenne")])),
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            logger: Logger(label: "edge") { _ in SwiftLogNoOpLogHandler() })
        let group = ServiceGroup(configuration: .init(services: [relay, app], logger: Logger(label: "edge") { _ in SwiftLogNoOpLogHandler() }))
        self.relay = relay
        self.port = port
        self.task = Task { try await group.run() }
        try await HTTP.waitForPort(port)
    }

    func stop() {
        task.cancel()
    }
}
