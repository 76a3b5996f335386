import Delivery
import Hummingbird
import NIOConcurrencyHelpers
import Observability
import Testing

@Suite struct PlaybackAudienceTests {
    /// A clock the test moves.
    final class TestClock: Sendable {
        let instant = NIOLockedValueBox(ContinuousClock.now)
        var now: @Sendable () -> ContinuousClock.Instant { { [instant] in instant.withLockedValue { $0 } } }
        func advance(_ duration: Duration) { instant.withLockedValue { $0 += duration } }
    }

    static func part(
        _ channel: String, _ rendition: String, client: String = "192.0.2.1", agent: String = "player", token: String? = nil,
        status: HTTPResponse.Status = .ok, bytes: Int = 1_000
    ) -> PlaybackEvent {
        PlaybackEvent(
            method: .get, kind: .part, status: status, bytes: bytes, duration: .milliseconds(1), channel: channel, rendition: rendition,
            client: client, userAgent: agent, token: token)
    }

    /// A viewer is a client (address and user agent, or its token) answered within the window;
    /// one that switched rendition counts in both renditions, and once in the channel.
    @Test func viewersWithinTheWindow() {
        let clock = TestClock()
        let audience = PlaybackAudience(window: .seconds(4), now: clock.now)
        let metrics = PlaybackMetrics(registry: MetricsExposition(collectors: []).registry, audience: audience)
        metrics.responded(Self.part("news", "720p"))
        metrics.responded(Self.part("news", "720p"))
        metrics.responded(Self.part("news", "720p", agent: "other player"))
        metrics.responded(Self.part("news", "540p"))
        metrics.responded(Self.part("news", "540p", client: "192.0.2.2", token: "a"))
        metrics.responded(Self.part("news", "540p", client: "192.0.2.3", token: "a"))
        metrics.responded(Self.part("news", "540p", client: "192.0.2.9", status: .notFound))
        var snapshot = audience.snapshot(channels: ["news", "sport"])
        #expect(snapshot.viewers == ["news": ["720p": 2, "540p": 2]])
        #expect(snapshot.channelViewers == ["news": 3, "sport": 0])
        #expect(snapshot.sentBytes == ["news": 6_000, "sport": 0])
        clock.advance(.seconds(3))
        metrics.responded(Self.part("news", "540p", token: "a"))
        clock.advance(.seconds(2))
        snapshot = audience.snapshot(channels: ["news"])
        #expect(snapshot.viewers == ["news": ["540p": 1]])
        #expect(snapshot.channelViewers == ["news": 1])
        #expect(snapshot.tracked == 1)
    }

    /// Answers in error (4xx, 5xx) count by channel; those for a name no channel has are
    /// forgotten at the next snapshot.
    @Test func errorsByChannel() {
        let audience = PlaybackAudience(window: .seconds(4))
        let metrics = PlaybackMetrics(registry: MetricsExposition(collectors: []).registry, audience: audience)
        metrics.responded(Self.part("news", "720p", status: .notFound))
        metrics.responded(Self.part("news", "720p", status: .badGateway))
        metrics.responded(Self.part("news", "720p", status: .notModified))
        metrics.responded(Self.part("nowhere", "720p", status: .notFound))
        #expect(audience.snapshot(channels: ["news", "sport"]).errors == ["news": 2, "sport": 0])
        #expect(audience.snapshot(channels: ["nowhere"]).errors == ["nowhere": 0])
    }

    /// What belongs to a channel that is gone is forgotten: its bytes start again from zero if it
    /// comes back.
    @Test func aChannelGoneIsForgotten() {
        let audience = PlaybackAudience(window: .seconds(4))
        let metrics = PlaybackMetrics(registry: MetricsExposition(collectors: []).registry, audience: audience)
        metrics.responded(Self.part("old", "720p", bytes: 5))
        #expect(audience.snapshot(channels: ["old"]).sentBytes == ["old": 5])
        #expect(audience.snapshot(channels: []).tracked == 0)
        #expect(audience.snapshot(channels: ["old"]).sentBytes == ["old": 0])
    }

    /// Past the cap, a new session is counted as untracked; sessions gone stale make room again.
    @Test func theTableIsBounded() {
        let clock = TestClock()
        let audience = PlaybackAudience(window: .seconds(4), now: clock.now)
        let metrics = PlaybackMetrics(registry: MetricsExposition(collectors: []).registry, audience: audience)
        for viewer in 0..<PlaybackAudience.maximumSessions {
            metrics.responded(Self.part("news", "720p", token: "\(viewer)"))
        }
        metrics.responded(Self.part("news", "720p", token: "one more"))
        metrics.responded(Self.part("news", "720p", token: "0"))
        var snapshot = audience.snapshot(channels: ["news"])
        #expect(snapshot.tracked == PlaybackAudience.maximumSessions)
        #expect(snapshot.untracked == 1)
        clock.advance(.seconds(5))
        metrics.responded(Self.part("news", "720p", token: "one more"))
        snapshot = audience.snapshot(channels: ["news"])
        #expect(snapshot.tracked == 1 && snapshot.channelViewers == ["news": 1])
    }
}
