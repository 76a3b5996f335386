import Delivery
import Observability
import Testing

@Suite struct PlaybackMetricsTests {
    /// Each response counts once under its kind and status class, with its bytes and its time.
    @Test func responsesByKindAndStatus() {
        let exposition = MetricsExposition(collectors: [])
        let metrics = PlaybackMetrics(registry: exposition.registry)
        metrics.responded(PlaybackEvent(method: .get, kind: .part, status: .ok, bytes: 1_000, duration: .microseconds(200)))
        metrics.responded(PlaybackEvent(method: .get, kind: .part, status: .partialContent, bytes: 10, duration: .seconds(1)))
        metrics.responded(PlaybackEvent(method: .get, kind: .mediaPlaylist, status: .serviceUnavailable, bytes: 80, duration: .seconds(6)))
        let text = exposition.render()
        #expect(text.contains(#"antenne_playback_responses_total{kind="part",status="2xx"} 2"#), "\(text)")
        #expect(text.contains(#"antenne_playback_responses_total{kind="mediaPlaylist",status="5xx"} 1"#))
        #expect(text.contains(#"antenne_playback_responses_total{kind="segment",status="2xx"} 0"#))
        #expect(text.contains(#"antenne_playback_sent_bytes_total{kind="part"} 1010"#))
        #expect(text.contains(#"antenne_playback_response_seconds_bucket{kind="part",le="0.0005"} 1"#), "\(text)")
        #expect(text.contains(#"antenne_playback_response_seconds_count{kind="part"} 2"#))
        #expect(text.contains(#"antenne_playback_response_seconds_bucket{kind="mediaPlaylist",le="4.0"} 0"#))
    }
}

extension PlaybackMetricsTests {
    /// A blocking playlist reload is held until its part exists: its kind says so, apart from a
    /// plain playlist request.
    @Test func blockingReloadsApartFromPlaylists() {
        let exposition = MetricsExposition(collectors: [])
        let metrics = PlaybackMetrics(registry: exposition.registry)
        metrics.responded(PlaybackEvent(method: .get, kind: .mediaPlaylist, status: .ok, bytes: 500, duration: .microseconds(300)))
        metrics.responded(PlaybackEvent(
            method: .get, kind: .mediaPlaylist, blockingReload: true, status: .ok, bytes: 500, duration: .milliseconds(400)))
        let text = exposition.render()
        #expect(text.contains(#"antenne_playback_responses_total{kind="mediaPlaylist",status="2xx"} 1"#), "\(text)")
        #expect(text.contains(#"antenne_playback_responses_total{kind="blockingReload",status="2xx"} 1"#), "\(text)")
        #expect(text.contains(#"antenne_playback_response_seconds_bucket{kind="mediaPlaylist",le="0.0005"} 1"#), "\(text)")
        #expect(text.contains(#"antenne_playback_response_seconds_bucket{kind="blockingReload",le="0.25"} 0"#), "\(text)")
        #expect(text.contains(#"antenne_playback_response_seconds_bucket{kind="blockingReload",le="0.5"} 1"#), "\(text)")
    }
}
