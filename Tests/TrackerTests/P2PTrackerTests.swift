import Delivery
import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import HummingbirdWSTesting
import NIOCore
import Synchronization
import Testing
@testable import Tracker

/// The tracker on a real listener: digests over HTTP, swarms over WebSocket, both only for a
/// channel with P2P on and a viewer who may watch it.
@Suite struct P2PTrackerTests {
    static let key = try! PlaybackKeys([(id: "k1", secret: [UInt8](repeating: 7, count: 32))])
    static let now: Int64 = 1_700_000_000

    static func app(p2p: Bool = true, token: Bool = false) throws -> some ApplicationProtocol {
        try app(p2p: { _ in p2p }, token: token)
    }

    /// The tracker on the listener an origin or an edge runs (``P2PTracker/http1Server(playback:)``),
    /// P2P on as `p2p` says at each moment.
    static func app(p2p: @escaping @Sendable (String) -> Bool, token: Bool = false) throws -> some ApplicationProtocol {
        let access = PlaybackAccess(signer: try PlaybackSigner(keys: key), tokenChannels: token ? ["talks"] : [])
        let tracker = P2PTracker(
            configuration: TrackerConfiguration(isEnabled: p2p, ice: .init(servers: ["stun:stun.example.net:3478"])),
            access: access, packagers: FakeWindows(), now: { now })
        let router = Router()
        tracker.add(to: router)
        return Application(router: router, server: tracker.http1Server { PassThroughHandler() })
    }

    static func token() throws -> String {
        try PlaybackSigner(keys: key).sign(channel: "talks", expiresAt: now + 600)
    }

    @Test func digestsListEverySegmentAndPartOfTheWindow() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/p2p/talks/720p/digests.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "no-cache")
                let body = try JSONDecoder().decode([String: [String: String]].self, from: Data(String(buffer: response.body).utf8))
                #expect(body["objects"] == [
                    "4.m4s": "74f81fe167d99b4cb41d6d0ccda82278caee9f3e2f25d5e5a3936ff3dcec60d0",
                    "4.0.m4s": "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81",
                    "4.1.m4s": "2fa1b377bf67309f65e5e7bc9d924345ca648dec4e601a398a9cb497dcba3765",
                    "5.0.m4s": "67586e98fad27da0b9968bc039a1ef34c939b9b8e523a8bef89d478608c5ecf6",
                ])
            }
            try await client.execute(uri: "/p2p/talks/1080p/digests.json", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/p2p/other/720p/digests.json", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func digestsFromASegmentOnListThatSegmentAndTheNewerOnly() async throws {
        try await Self.app().test(.router) { client in
            for (from, names) in [("5", ["5.0.m4s"]), ("4", ["4.m4s", "4.0.m4s", "4.1.m4s", "5.0.m4s"]), ("6", []), ("x", ["4.m4s", "4.0.m4s", "4.1.m4s", "5.0.m4s"])] {
                try await client.execute(uri: "/p2p/talks/720p/digests.json?from=\(from)", method: .get) { response in
                    #expect(response.status == .ok)
                    let body = try JSONDecoder().decode([String: [String: String]].self, from: Data(String(buffer: response.body).utf8))
                    #expect(body["objects"].map { Set($0.keys) } == Set(names), "from=\(from)")
                }
            }
        }
    }

    @Test func aChannelWithoutP2PHasNoDigestsAndNoSwarm() async throws {
        try await Self.app(p2p: false).test(.live) { client in
            try await client.execute(uri: "/p2p/talks/720p/digests.json", method: .get) { #expect($0.status == .notFound) }
            await #expect(throws: (any Error).self) { try await client.ws("/p2p/talks/720p") { _, _, _ in } }
        }
    }

    @Test func aTokenChannelAsksForTheSameTokenAsItsPlaylists() async throws {
        let token = try Self.token()
        try await Self.app(token: true).test(.live) { client in
            try await client.execute(uri: "/p2p/talks/720p/digests.json", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/p2p/talks/720p/digests.json?token=\(token)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "private, no-cache")
            }
            await #expect(throws: (any Error).self) { try await client.ws("/p2p/talks/720p") { _, _, _ in } }
            await #expect(throws: (any Error).self) { try await client.ws("/p2p/talks/720p?token=x\(token)") { _, _, _ in } }
            _ = try await client.ws("/p2p/talks/720p?token=\(token)") { inbound, _, _ in
                var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                let first = try await messages.next()
                guard case .text(let text) = first else { Issue.record("no welcome"); return }
                #expect(text.contains(#""t":"welcome""#))
            }
        }
    }

    @Test func twoPeersOfASwarmHearOfEachOtherAndSignal() async throws {
        try await Self.app().test(.live) { client in
            let (firstWelcomed, welcomedFirst) = AsyncStream.makeStream(of: String.self)
            let (secondSignal, signalSecond) = AsyncStream.makeStream(of: String.self)
            async let first: WebSocketCloseFrame? = client.ws("/p2p/talks/720p") { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                guard case .text(let welcome) = try await messages.next() else { return }
                #expect(welcome.contains(#""peers":[]"#) && welcome.contains(#""ice":["stun:stun.example.net:3478"]"#))
                let id = try #require(Self.id(in: welcome))
                welcomedFirst.yield(id)
                // The second peer joins, then offers.
                guard case .text(let joined) = try await messages.next() else { return }
                #expect(joined.contains(#""t":"have""#) && joined.contains(#""o":[]"#))
                guard case .text(let offer) = try await messages.next() else { return }
                #expect(offer.contains(#""t":"signal""#) && offer.contains(#""sdp":"v=0""#))
                signalSecond.yield(offer)
            }
            var ids = firstWelcomed.makeAsyncIterator()
            let firstID = try #require(await ids.next())
            _ = try await client.ws("/p2p/talks/720p") { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                guard case .text(let welcome) = try await messages.next() else { return }
                #expect(welcome.contains(#""peers":[{"id":"\#(firstID)","o":[]}]"#))
                try await outbound.write(.text(#"{"t":"signal","to":"\#(firstID)","d":{"kind":"offer","sdp":"v=0"}}"#))
                var relayed = secondSignal.makeAsyncIterator()
                #expect(await relayed.next() != nil)
            }
            _ = try await first
        }
    }

    static func id(in welcome: String) -> String? {
        guard let range = welcome.range(of: #""id":""#) else { return nil }
        return String(welcome[range.upperBound...].prefix(16))
    }

    @Test func turningP2POffClosesTheSwarmsConnectionsAtTheirNextMessage() async throws {
        let enabled = Flag()
        try await Self.app(p2p: { _ in enabled.isOn }).test(.live) { client in
            _ = try await client.ws("/p2p/talks/720p") { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                guard case .text(let welcome) = try await messages.next() else { Issue.record("no welcome"); return }
                #expect(welcome.contains(#""t":"welcome""#))
                enabled.turnOff()
                try await outbound.write(.text(#"{"t":"have","o":["720p/4.m4s"]}"#))
                guard case .text(let refusal) = try await messages.next() else { Issue.record("no refusal"); return }
                #expect(refusal == #"{"reason":"P2P is off for this channel","t":"refused"}"#)
                #expect(try await messages.next() == nil, "the tracker closes the connection")
            }
            // And no new peer is taken.
            await #expect(throws: (any Error).self) { try await client.ws("/p2p/talks/720p") { _, _, _ in } }
        }
    }
}

/// Whether P2P is on, switched by a test while the tracker reads it.
final class Flag: Sendable {
    private let value = Atomic(true)
    var isOn: Bool { value.load(ordering: .relaxed) }
    func turnOff() { value.store(false, ordering: .relaxed) }
}

/// The playback handler's place in the pipeline: passes everything on.
final class PassThroughHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = Any
}
