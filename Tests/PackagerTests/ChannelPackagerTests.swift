import Hub
import MediaCore
import NIOCore
import Testing
@testable import Packager

/// A channel with a transcoder: the source leads, the renditions follow, and a transcoder outage
/// becomes EXT-X-GAP segments rather than a numbering shift (issue 3).
@Suite struct ChannelPackagerTests {
    static func video(_ name: String?, width: Int) -> TrackInfo {
        TrackInfo(codec: .h264, timescale: 90_000, decoderConfig: [1, 2, 3], codecString: "avc1.64001f",
                  video: VideoParameters(width: width, height: width * 9 / 16, frameRate: Rational(30, 1)), rendition: name)
    }

    /// Waits (bounded) until the packager has caught up with what was sent.
    func settle(_ condition: () -> Bool) async throws {
        for _ in 0..<2_000 where !condition() { try await Task.sleep(for: .milliseconds(5)) }
        #expect(condition())
    }

    @Test func transcoderOutageListsGapsAndKeepsNumbersAligned() async throws {
        let hub = Hub()
        let source = hub.channel(named: "c")
        let transcoded = hub.renditionsChannel(of: "c")
        let packager = ChannelPackager(
            channel: source, renditions: transcoded,
            plan: RenditionPlan(offerSource: false),
            configuration: PackagerConfiguration(), now: { 1_700_000_000_000 })
        let task = Task { await packager.run() }
        defer { task.cancel() }
        // Both readers subscribe before anything is published.
        try await settle { source.readerCount == 1 && transcoded.readerCount == 1 }

        let publisher = try #require(source.acquirePublisher())
        publisher.send(.tracks([Self.video(nil, width: 1280)]))
        var ladder = transcoded.acquirePublisher()
        ladder?.send(.tracks([Self.video("360p", width: 640)]))
        // 12 s at 30 fps, key frames every 2 s. The transcoder is down from 4.5 s to 8.5 s.
        for i in 0..<360 {
            let sample = Sample(dts: Int64(i) * 3_000, isSync: i % 60 == 0, data: ByteBuffer(bytes: [1, 2, 3, 4]))
            publisher.send(.sample(track: 0, sample))
            if i == 135 {
                ladder?.finish()
                ladder = nil
            }
            if i == 255 {
                ladder = transcoded.acquirePublisher()
                ladder?.send(.tracks([Self.video("360p", width: 640)]))
            }
            // The restarted transcoder's first frame is a key frame, mid-segment.
            ladder?.send(.sample(track: 0, Sample(dts: sample.dts, isSync: i % 60 == 0 || i == 255, data: sample.data)))
            if i % 30 == 0 { try await Task.sleep(for: .milliseconds(2)) }
        }
        try await settle { packager.rendition(named: "360p")?.snapshot()?.segments.last?.msn == 5 }

        #expect(packager.rendition(named: "source") == nil, "the plan does not offer the source")
        #expect(packager.renditions.map(\.name) == ["360p"])
        let snapshot = try #require(packager.rendition(named: "360p")?.snapshot())
        let listed = snapshot.segments.map { ($0.msn, $0.gap, $0.discontinuity) }
        #expect(listed.map(\.0) == [0, 1, 2, 3, 4, 5])
        // Segment 2 (4-6 s) was cut short when the transcoder died; 3 (6-8 s) is missing; at 8.5 s
        // the restart waits for the boundary at 10 s, so 4 (8-10 s) is missing too.
        #expect(listed.map(\.1) == [false, false, false, true, true, false])
        #expect(listed.map(\.2) == [false, false, false, true, false, false])
        let gap = try #require(snapshot.segments.first { $0.msn == 3 })
        #expect(gap.duration == 180_000)
        #expect(packager.rendition(named: "360p")?.segment(msn: 3) == nil)
        #expect(packager.statistics.gaps == 2)
        publisher.finish()
    }

    /// A source the transcoder cannot read (AV1 over Enhanced RTMP, say) is offered after all,
    /// rather than leaving viewers nothing.
    @Test func theSourceIsOfferedWhenTheTranscoderCannotServe() async throws {
        let hub = Hub()
        let source = hub.channel(named: "c")
        let packager = ChannelPackager(
            channel: source, renditions: hub.renditionsChannel(of: "c"),
            plan: RenditionPlan(offerSource: false), configuration: PackagerConfiguration(), now: { 0 })
        let task = Task { await packager.run() }
        defer { task.cancel() }
        try await settle { source.readerCount == 1 }
        let publisher = try #require(source.acquirePublisher())
        publisher.send(.tracks([Self.video(nil, width: 1280)]))
        publisher.send(.sample(track: 0, Sample(dts: 0, isSync: true, data: ByteBuffer(bytes: [1]))))
        try await settle { !packager.renditions.isEmpty || packager.statistics.samples > 0 }
        #expect(packager.rendition(named: "source") == nil)
        packager.fallBackToSource(true)
        #expect(packager.rendition(named: "source") != nil)
        #expect(packager.renditions.map(\.name) == ["source"])
        packager.fallBackToSource(false)
        #expect(packager.renditions.isEmpty)
        publisher.finish()
    }
}
