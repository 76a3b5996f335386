import CSRT
import Foundation
import Hub
import Ingest
import Logging
import MediaCore
import Testing
@testable import SRTIngest

/// The listener on loopback with libsrt callers: what the listen callback refuses, a publish that
/// reaches the hub, and the limits that close a connection. Each test has its own listener.
@Suite(.serialized) struct SRTIngestServiceTests {
    static let goodKey = "k-good-secret-1"

    struct Authorizer: PublishAuthorizer {
        func authorize(_ request: PublishRequest) async -> PublishGrant? {
            request.streamKey == SRTIngestServiceTests.goodKey ? PublishGrant(channel: "one") : nil
        }
    }

    /// Runs a listener on a free port for `body`.
    static func withListener(
        _ configure: (inout SRTIngestConfiguration) -> Void = { _ in },
        publishes: LivePublishes = LivePublishes(logger: Logger(label: "srt.test")),
        _ body: (_ port: Int, _ hub: Hub, _ service: SRTIngestService) async throws -> Void
    ) async throws {
        let hub = Hub()
        let logger = Logger(label: "srt.test")
        var configuration = SRTIngestConfiguration(host: "127.0.0.1", port: 0)
        configure(&configuration)
        let gateway = PublishGateway(hub: hub, authorizer: Authorizer(), publishes: publishes, logger: logger)
        let service = SRTIngestService(configuration: configuration, gateway: gateway, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            let port = try await service.boundPort()
            try await body(port, hub, service)
            group.cancelAll()
        }
    }

    /// How soon a caller sees the listener close its connection: at once nearly always, but a close
    /// that overtakes the end of the caller's handshake is only seen when libsrt's peer idle
    /// timeout (`SRTO_PEERIDLETIMEO`, 5 s) fires on the caller.
    static let closeSeen: Duration = .seconds(8)

    static func vector(_ name: String) throws -> [UInt8] {
        try MPEGTSPublishSessionTests.vector(name)
    }

    @Test func aBadStreamIDIsRefusedInTheHandshake() async throws {
        try await Self.withListener { port, _, _ in
            let caller1 = try SRTCaller(port: port, streamID: "garbage")
            #expect(caller1.rejection == SRT_REJX_BAD_REQUEST)
            let caller2 = try SRTCaller(port: port, streamID: nil)
            #expect(caller2.rejection == SRT_REJX_BAD_REQUEST)
            let caller3 = try SRTCaller(port: port, streamID: "#!::r=live/\(Self.goodKey),m=request")
            #expect(caller3.rejection == SRT_REJX_BAD_MODE)
        }
    }

    @Test func theLongestStreamIDGetsThroughTheHandshakeAndItsUnknownKeyIsClosed() async throws {
        try await Self.withListener { port, _, _ in
            let longest = "publish:" + String(repeating: "k", count: SRTStreamID.maximumLength - 8)
            let caller = try SRTCaller(port: port, streamID: longest)
            #expect(caller.connected)
            #expect(await caller.closedByListener(within: Self.closeSeen))
            // libsrt itself refuses to send a longer one.
            #expect(throws: SRTCaller.CallerError.self) { try SRTCaller(port: port, streamID: longest + "k") }
        }
    }

    @Test func aPublishReachesTheHubAndReportsItsStatistics() async throws {
        try await Self.withListener { port, hub, service in
            let channel = hub.channel(named: "one")  // held: the hub forgets channels nobody holds
            let reader = channel.reader(capacity: 100_000)
            let caller = try SRTCaller(port: port, streamID: "#!::r=live/\(Self.goodKey),m=publish")
            try #require(caller.connected)
            let bytes = try Self.vector("h264_aac.ts")
            // The first half, a pause for the grant and the statistics, then the rest.
            #expect(caller.send(Array(bytes[..<(bytes.count / 2)])))
            try await Task.sleep(for: .milliseconds(1_500))
            #expect(caller.send(Array(bytes[(bytes.count / 2)...])))
            var tracks: [TrackInfo]?
            var samples = 0
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline, samples < 100, let batch = reader.take() {
                for event in batch {
                    switch event {
                    case .tracks(let announced): tracks = announced
                    case .sample: samples += 1
                    case .end: break
                    }
                }
                if batch.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(tracks?.map(\.codec) == [.h264, .aac])
            #expect(samples >= 100)
            let statistics = try #require(service.publishers.first { $0.channel == "one" })
            #expect(statistics.packetsReceived > 0)
            #expect(statistics.latencyMilliseconds == 120)
            // The API's view: the link of the input it feeds, and of no other.
            #expect(statistics.input == .primary)
            #expect((service.publisher(channel: "one", input: .primary)?.packetsReceived ?? 0) > 0)
            #expect(service.publisher(channel: "one", input: .backup) == nil)
        }
    }

    @Test func aWrongKeyIsClosedRightAfterTheHandshake() async throws {
        try await Self.withListener { port, hub, _ in
            let caller = try SRTCaller(port: port, streamID: "publish:k-wrong-secret-2")
            #expect(caller.connected)
            #expect(await caller.closedByListener(within: Self.closeSeen))
            #expect(hub.allChannels.allSatisfy { !$0.isLive })
        }
    }

    @Test func aKeyWithoutThePassphraseOfAnEncryptedChannelIsClosed() async throws {
        try await Self.withListener({ $0.requiresEncryption = { $0 == "one" } }) { port, hub, _ in
            let caller = try SRTCaller(port: port, streamID: "publish:\(Self.goodKey)")
            #expect(caller.connected)
            #expect(await caller.closedByListener(within: Self.closeSeen))
            #expect(!hub.channel(named: "one").isLive)
        }
        try await Self.withListener({ configuration in
            configuration.requiresEncryption = { $0 == "one" }
            configuration.channelOptions = { _ in SRTChannelOptions(passphrase: "a-passphrase-1") }
        }) { port, hub, _ in
            let caller = try SRTCaller(port: port, streamID: "publish:\(Self.goodKey)", passphrase: "a-passphrase-1")
            #expect(caller.connected)
            try await Task.sleep(for: .milliseconds(300))
            #expect(hub.channel(named: "one").isLive)
        }
    }

    @Test func aWithdrawnRightEndsThePublish() async throws {
        let publishes = LivePublishes(logger: Logger(label: "srt.test"))
        try await Self.withListener(publishes: publishes) { port, hub, _ in
            let caller = try SRTCaller(port: port, streamID: "publish:\(Self.goodKey)")
            try #require(caller.connected)
            let deadline = ContinuousClock.now + .seconds(5)
            while publishes.grants.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            // What ControlPlaneSync does when the key is revoked or the channel deleted.
            #expect(publishes.disconnect(reason: "stream key revoked") { $0.channel == "one" } == 1)
            #expect(await caller.closedByListener(within: Self.closeSeen))
            #expect(!hub.channel(named: "one").isLive)
        }
    }

    @Test func theConnectionCapRefusesTheNextCaller() async throws {
        try await Self.withListener({ $0.maximumConnections = 1 }) { port, _, _ in
            let first = try SRTCaller(port: port, streamID: "publish:\(Self.goodKey)")
            #expect(first.connected)
            try await Task.sleep(for: .milliseconds(200))  // the listener's thread takes it
            let caller4 = try SRTCaller(port: port, streamID: "publish:\(Self.goodKey)")
            #expect(caller4.rejection == SRT_REJX_OVERLOAD)
        }
    }

    @Test func aPublisherThatStopsSendingIsClosedAfterTheIdleTimeout() async throws {
        try await Self.withListener({ $0.idleTimeout = .seconds(1) }) { port, hub, _ in
            let caller = try SRTCaller(port: port, streamID: "publish:\(Self.goodKey)")
            try #require(caller.connected)
            #expect(caller.send(Array(try Self.vector("h264_aac.ts").prefix(188 * 70))))
            try await Task.sleep(for: .milliseconds(300))
            #expect(hub.channel(named: "one").isLive)
            #expect(await caller.closedByListener(within: Self.closeSeen))
            #expect(!hub.channel(named: "one").isLive)
        }
    }

    @Test func aPassphraseChannelRefusesCallersWithoutIt() async throws {
        try await Self.withListener({ $0.channelOptions = { _ in SRTChannelOptions(passphrase: "a-passphrase-1") } }) { port, _, _ in
            let caller5 = try SRTCaller(port: port, streamID: "publish:\(Self.goodKey)")
            #expect(caller5.rejection != nil)
            let caller6 = try SRTCaller(port: port, streamID: "publish:\(Self.goodKey)", passphrase: "another-phrase")
            #expect(caller6.rejection != nil)
            let caller7 = try SRTCaller(port: port, streamID: "publish:\(Self.goodKey)", passphrase: "a-passphrase-1")
            #expect(caller7.connected)
        }
    }

    // MARK: Pulls (caller mode)

    static func pull(_ port: Int, passphrase: String? = nil) -> SRTPull {
        SRTPull(
            channel: "one", streamKey: goodKey,
            source: SRTPullURL(host: "127.0.0.1", port: port, passphrase: passphrase, latencyMilliseconds: 200))
    }

    /// Reads `reader` until `count` samples have come, or `timeout`; returns how many came.
    static func samples(_ reader: HubReader, atLeast count: Int, within timeout: Duration) async throws -> Int {
        var samples = 0
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, samples < count, let batch = reader.take() {
            samples += batch.filter { if case .sample = $0 { true } else { false } }.count
            if batch.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        return samples
    }

    /// The pull calls the listening encoder, publishes its stream through the gateway with the
    /// channel's key, shows its link's statistics, and calls again once the encoder drops it; the
    /// server's stop closes it.
    @Test func aPullPublishesTheEncoderAndCallsAgainWhenItLeaves() async throws {
        let encoder = try SRTEncoder(passphrase: "a-passphrase-1")
        let bytes = try Self.vector("h264_aac.ts")
        var last: SRTSOCKET?
        try await Self.withListener({ $0.pulls = [Self.pull(encoder.port, passphrase: "a-passphrase-1")] }) { _, hub, service in
            let channel = hub.channel(named: "one")
            let reader = channel.reader(capacity: 100_000)
            let first = try #require(await encoder.accept(within: .seconds(5)))
            #expect(srtSend(first, Array(bytes[..<(bytes.count / 2)])))
            #expect(try await Self.samples(reader, atLeast: 50, within: .seconds(10)) >= 50)
            #expect(channel.isLive)
            var statistics: SRTPublisherStatistics?
            let deadline = ContinuousClock.now + .seconds(5)
            while statistics == nil, ContinuousClock.now < deadline {
                statistics = service.publisher(channel: "one", input: .primary)
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(statistics?.latencyMilliseconds == 200)
            #expect((statistics?.packetsReceived ?? 0) > 0)
            // The encoder drops the call: the publish ends, and the pull calls again within seconds.
            srt_close(first)
            let second = try #require(await encoder.accept(within: .seconds(10)))
            last = second
            #expect(srtSend(second, bytes))
            #expect(try await Self.samples(reader, atLeast: 50, within: .seconds(10)) >= 50)
            #expect(channel.isLive)
        }
        let second = try #require(last)
        #expect(await srtClosed(second, within: Self.closeSeen))
        srt_close(second)
    }

    /// A pull whose passphrase the encoder does not share never publishes, and goes on calling.
    @Test func aPullWithTheWrongPassphraseDoesNotPublish() async throws {
        let encoder = try SRTEncoder(passphrase: "a-passphrase-1")
        try await Self.withListener({ $0.pulls = [Self.pull(encoder.port, passphrase: "another-phrase")] }) { _, hub, _ in
            #expect(await encoder.accept(within: .seconds(3)) == nil)
            #expect(!hub.channel(named: "one").isLive)
        }
    }
}
