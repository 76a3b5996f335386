import Hub
import Ingest
import Logging
import MediaCore
import NIOCore
import Observability
import Testing

@Suite struct IngestMetricsTests {
    static let video = TrackInfo(codec: .h264, timescale: 90_000, decoderConfig: [1, 0x64, 0, 0x1f], codecString: "avc1.64001f")
    static let audio = TrackInfo(codec: .aac, timescale: 48_000, decoderConfig: [0x11, 0x90], codecString: "mp4a.40.2")

    struct Granting: PublishAuthorizer {
        func authorize(_ request: PublishRequest) async -> PublishGrant? {
            request.streamKey == "secret" ? PublishGrant(channel: "news") : nil
        }
    }

    /// `seconds` of 30 fps video of 2,500 bytes a frame with a key frame every `gop` frames, and
    /// 20 audio frames a second of 250 bytes: 640 kbit/s in all.
    static func publish(_ publisher: HubPublisher, seconds: Int, gop: Int = 60, from start: Int64 = 0) {
        for frame in 0..<(30 * seconds) {
            let dts = start + Int64(frame) * 3_000
            publisher.send(.sample(track: 0, Sample(dts: dts, isSync: frame % gop == 0, data: ByteBuffer(repeating: 0, count: 2_500))))
            if frame % 3 != 2 {
                publisher.send(.sample(track: 1, Sample(dts: dts * 48 / 90, isSync: true, data: ByteBuffer(repeating: 0, count: 250))))
            }
        }
    }

    static func value(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    /// Rates over whole key-frame intervals of media time: bytes of every track, video frames, and
    /// the interval itself.
    @Test func ratesOverTheLastKeyFrameIntervals() throws {
        let channel = HubChannel(name: "news")
        let publisher = try #require(channel.acquirePublisher())
        publisher.send(.tracks([Self.video, Self.audio]))
        #expect(channel.ingest.window == nil)
        Self.publish(publisher, seconds: 20)
        let window = try #require(channel.ingest.window)
        // Ten key frames came; the last six are kept: five 2 s intervals.
        #expect(window.keyFrameIntervals == IngestMeter.keyFramesKept - 1)
        #expect(window.duration == MediaTime(ticks: 5 * 180_000, timescale: 90_000))
        #expect(window.frames == 5 * 60)
        #expect(window.bytes == 5 * 60 * 2_500 + 5 * 40 * 250)
        #expect(channel.ingest.videoFrames == 600 && channel.ingest.keyFrames == 10)
        #expect(channel.ingest.bytes == 600 * 2_500 + 400 * 250)
        // A new session measures afresh; the totals go on.
        publisher.send(.tracks([Self.video]))
        #expect(channel.ingest.window == nil)
        #expect(channel.ingest.videoFrames == 600)
    }

    /// A DTS that goes back (an encoder restarted its clock) starts the measure again, rather than
    /// reporting a negative interval.
    @Test func aDTSGoingBackStartsAgain() throws {
        let channel = HubChannel(name: "news")
        let publisher = try #require(channel.acquirePublisher())
        publisher.send(.tracks([Self.video]))
        Self.publish(publisher, seconds: 10, from: 9_000_000)
        Self.publish(publisher, seconds: 3, gop: 30)
        let window = try #require(channel.ingest.window)
        #expect(window.keyFrameIntervals == 2)
        #expect(window.duration == MediaTime(ticks: 180_000, timescale: 90_000))
    }

    /// The page: per channel, the rates while live and the totals; per protocol, connects,
    /// disconnects and refusals, every protocol listed from the start.
    @Test func exposition() async throws {
        let hub = Hub()
        let gateway = PublishGateway(
            hub: hub, authorizer: Granting(), publishes: LivePublishes(logger: Logger(label: "test")), logger: Logger(label: "test"))
        let exposition = MetricsExposition(collectors: [ServerCollectors.ingest(hub: hub, gateway: gateway)])
        #expect(exposition.render().contains(#"antenne_ingest_connects_total{protocol="srt"} 0"#))
        let publish = try await gateway.open(PublishRequest(streamKey: "secret", source: .rtmp)) {}.get()
        let refused = await gateway.open(PublishRequest(streamKey: "secret", source: .srt)) {}
        #expect(throws: PublishGateway.Refusal.alreadyPublishing(channel: "news")) { try refused.get() }
        _ = await gateway.open(PublishRequest(streamKey: "wrong", source: .rtmps)) {}
        publish.publisher.send(.tracks([Self.video, Self.audio]))
        Self.publish(publish.publisher, seconds: 12)
        let live = exposition.render()
        #expect(Self.value(live, #"antenne_ingest_bitrate_bps{channel="news"}"#) == 640_000, "\(live)")
        #expect(Self.value(live, #"antenne_ingest_frames_per_second{channel="news"}"#) == 30)
        #expect(Self.value(live, #"antenne_ingest_keyframe_interval_seconds{channel="news"}"#) == 2)
        #expect(live.contains(#"antenne_ingest_video_frames_total{channel="news"} 360"#))
        #expect(live.contains(#"antenne_ingest_keyframes_total{channel="news"} 6"#))
        #expect(live.contains(#"antenne_ingest_connects_total{protocol="rtmp"} 1"#))
        #expect(live.contains(#"antenne_ingest_refusals_total{protocol="srt",reason="busy"} 1"#))
        #expect(live.contains(#"antenne_ingest_refusals_total{protocol="rtmps",reason="unauthorized"} 1"#))
        #expect(live.contains(#"antenne_ingest_disconnects_total{protocol="rtmp"} 0"#))
        #expect(live.contains(#"antenne_channel_publish_lost{channel="news"} 0"#))
        publish.close(.lost)
        publish.close(.stopped)
        let ended = exposition.render()
        #expect(ended.contains(#"antenne_ingest_disconnects_total{protocol="rtmp"} 1"#), "\(ended)")
        #expect(ended.contains(#"antenne_ingest_lost_total{protocol="rtmp"} 1"#), "\(ended)")
        #expect(ended.contains(#"antenne_channel_publish_lost{channel="news"} 1"#), "\(ended)")
        #expect(!ended.contains("antenne_ingest_bitrate_bps"), "\(ended)")
        #expect(ended.contains(#"antenne_ingest_video_frames_total{channel="news"} 360"#))
        withExtendedLifetime(publish) {}
        // The encoder's own end clears it; a publish that never began leaves it as it was.
        let next = try await gateway.open(PublishRequest(streamKey: "secret", source: .rtmp)) {}.get()
        next.close(.stopped)
        #expect(exposition.render().contains(#"antenne_channel_publish_lost{channel="news"} 0"#))
        let abandoned = try await gateway.open(PublishRequest(streamKey: "secret", source: .rtmp)) {}.get()
        abandoned.close(.abandoned)
        let after = exposition.render()
        #expect(after.contains(#"antenne_channel_publish_lost{channel="news"} 0"#))
        #expect(after.contains(#"antenne_ingest_lost_total{protocol="rtmp"} 1"#), "\(after)")
        #expect(after.contains(#"antenne_ingest_disconnects_total{protocol="rtmp"} 3"#), "\(after)")
    }
}
