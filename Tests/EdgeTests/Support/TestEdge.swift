import Delivery
import Edge
import Hummingbird
import Logging
import NIOPosix
import TestSupport

/// `antenne edge` in the test process: an edge relay of `origins` on a loopback port, served as
/// the command serves it.
final class TestEdge: Sendable {
    let relay: EdgeRelay
    let port: Int
    private let pulling: Task<Void, any Error>
    private let serving: Task<Void, any Error>
    private let gate = ConnectionGate()

    var url: String { "http://127.0.0.1:\(port)" }

    init(origins: [String], signer: PlaybackSigner? = nil, cache: PassThroughCache? = nil) async throws {
        let relay = EdgeRelay(
            origins: origins, signer: signer, cache: cache, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: Logger(label: "edge") { _ in SwiftLogNoOpLogHandler() }, now: TestClock.now)
        let port = try FreePort.loopback()
        let router = Router()
        PageRoutes(packagers: relay.directory, access: relay.access, isReady: { true }).add(to: router)
        let gate = self.gate
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [
                gate.handler(), relay.playbackRoutes().channelHandler(serverName: "Antenne"),
            ])),
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            logger: Logger(label: "edge") { _ in SwiftLogNoOpLogHandler() })
        self.relay = relay
        self.port = port
        self.pulling = Task { try await relay.run() }
        self.serving = Task { try await app.runService(gracefulShutdownSignals: []) }
        try await HTTP.waitForPort(port)
    }

    /// Stops pulling and turns connections away. The server runs on, idle, until the test process
    /// ends: an edge of this edge may still be connecting (see ``ConnectionGate``).
    func stop() {
        gate.close()
        pulling.cancel()
    }
}
