import Archive
import Manifests
import MediaCore
import NIOCore
import Packager
import Testing
@testable import Delivery

/// The MPDs that reach into the archive: a DVR window (archived run + live window, one Period,
/// listed segments) and a static catch-up; and the low-latency signalling of the live MPD.
@Suite struct DASHArchiveBuilderTests {
    typealias Fixture = DASHBuilderTests

    /// The archived run that leads up to `snapshot`'s window: `count` segments just before it, on
    /// the same timeline and clock.
    static func archived(_ snapshot: RenditionSnapshot, count: Int) -> [SegmentRecord] {
        let first = snapshot.segments[0]
        let timescale = snapshot.track.timescale
        return (1...count).reversed().map { back in
            let start = first.startDTS - Int64(back) * first.duration
            let segment = CompletedSegment(
                channel: "news", rendition: snapshot.name, msn: first.msn - back, startDTS: start, duration: first.duration,
                timescale: timescale, programDateTime: first.programDateTime - MediaTime(ticks: Int64(back) * first.duration, timescale: timescale).milliseconds,
                discontinuity: false, gap: false, track: snapshot.track, initSegment: ByteBuffer(string: "init"),
                data: ByteBuffer(string: "media"))
            return SegmentRecord(segment)
        }
    }

    /// Steps of the window fixture's segments: their durations are their distance.
    static var window: [RenditionSnapshot] {
        [
            Fixture.snapshot("720p", Fixture.video, Fixture.segments(10..<16, first: 1_800_000, step: 180_000, duration: 180_000, timescale: 90_000)),
            Fixture.snapshot("audio", Fixture.audio, Fixture.segments(10..<16, first: 960_000, step: 96_000, duration: 96_000, timescale: 48_000)),
        ]
    }

    @Test func theLiveMPDIsLowLatency() throws {
        let configuration = PackagerConfiguration()
        let manifest = DASHBuilder.manifest(channel: "news", snapshots: Self.window, configuration: configuration, now: Fixture.anchor + 40_000)
        let service = try #require(manifest.serviceDescription)
        #expect(service.targetLatency == 1_500 && service.minimumLatency == 1_000)
        let longest = Self.window.map { PlaylistBuilder.targetDuration($0, configuration) }.max()!
        #expect(service.maximumLatency == Int64(3 * longest) * 1_000, "HOLD-BACK: three target durations")
        #expect(service.playbackRates == 960...1_040)
        for representation in manifest.periods.flatMap(\.adaptationSets).flatMap(\.representations) {
            #expect(representation.segments.availabilityTimeOffset == MediaTime(ticks: 1_500, timescale: 1_000))
            guard case .template = representation.segments.media else {
                Issue.record("the live window is addressed by number")
                continue
            }
        }
    }

    /// The segment being written is listed once it holds a part, with the duration it is cut
    /// at: a player that reads it as it grows finds it in every later MPD.
    @Test func theSegmentBeingWrittenIsListed() throws {
        var window = Self.window
        var open = Fixture.segments(16..<17, first: 1_800_000 + 6 * 180_000, step: 180_000, duration: 45_000, timescale: 90_000)[0]
        open.data = nil
        open.parts = [LivePart(index: 0, duration: 45_000, independent: true, data: ByteBuffer(bytes: [1]))]
        window[0].segments.append(open)
        var empty = open
        empty.msn = 17
        empty.parts = []
        window[0].segments.append(empty)
        let manifest = DASHBuilder.manifest(channel: "news", snapshots: window, configuration: PackagerConfiguration(), now: Fixture.anchor + 40_000)
        let video = manifest.periods[0].adaptationSets[0].representations[0].segments
        #expect(video.startNumber == 10 && video.timeline.count == 7, "segments 10 to 16; 17 has no part yet")
        #expect(video.timeline.last == DASHManifest.TimelineSegment(start: open.startDTS, duration: 180_000))
    }

    @Test func aDVRWindowListsTheArchivedRunAndTheWindowInOnePeriod() throws {
        let configuration = PackagerConfiguration()
        let renditions = Self.window.map { DASHBuilder.Rendition($0, configuration: configuration, archived: Self.archived($0, count: 4)) }
        let depth = MediaTime(ticks: 600, timescale: 1)
        let manifest = DASHBuilder.manifest(
            channel: "news", renditions: renditions, configuration: configuration, type: .dynamic, timeShiftBufferDepth: depth,
            now: Fixture.anchor + 40_000)
        #expect(manifest.type == .dynamic && manifest.timeShiftBufferDepth == depth)
        #expect(manifest.serviceDescription == nil, "a list cannot address the segment being written")
        #expect(manifest.periods.count == 1)
        let live = DASHBuilder.manifest(channel: "news", snapshots: Self.window, configuration: configuration, now: Fixture.anchor + 40_000)
        #expect(manifest.periods[0].id == live.periods[0].id, "the same session: the same Period as the live MPD")
        for representation in manifest.periods[0].adaptationSets.flatMap(\.representations) {
            let segments = representation.segments
            #expect(segments.startNumber == 6)
            #expect(segments.timeline.count == 10)
            for (a, b) in zip(segments.timeline, segments.timeline.dropFirst()) { #expect(a.start + a.duration == b.start) }
            guard case .list(let urls) = segments.media else {
                Issue.record("archived segments are listed")
                continue
            }
            let base = "../../hls/news/\(representation.id)/"
            #expect(urls.count == 10)
            #expect(urls.prefix(4).allSatisfy { $0.hasPrefix(base + "archive/") })
            #expect(Array(urls.suffix(6)) == (10..<16).map { base + "\($0).m4s" })
            #expect(segments.initialization == base + "init.mp4", "the live window's init segment")
            #expect(segments.availabilityTimeOffset == nil)
        }
        let text = manifest.render()
        #expect(text.contains("profiles=\"\(DASHManifest.fullProfile)\""))
    }

    @Test func aCatchUpIsStaticFromTheArchiveAlone() throws {
        let configuration = PackagerConfiguration()
        let renditions = Self.window.map { snapshot in
            let records = Self.archived(snapshot, count: 5)
            return DASHBuilder.Rendition(PlaylistBuilder.VariantSource(snapshot), records: records)
        }
        let manifest = DASHBuilder.manifest(
            channel: "news", renditions: renditions, configuration: configuration, type: .static, timeShiftBufferDepth: configuration.window,
            now: Fixture.anchor + 40_000)
        #expect(manifest.type == .static)
        #expect(manifest.periods.map(\.start) == [0])
        // Five 2 s segments, presented from the first one's wall clock on.
        let duration = try #require(manifest.mediaPresentationDuration)
        #expect((9_900...10_100).contains(duration.milliseconds), "\(duration)")
        let first = try #require(renditions[0].segments.first)
        #expect(abs(manifest.availabilityStartTime - first.programDateTime) < 100)
        let representations = manifest.periods[0].adaptationSets.flatMap(\.representations)
        #expect(representations.map(\.id) == ["720p", "audio"])
        #expect(representations[1].audioSamplingRate == 48_000)
        for representation in representations {
            guard case .list(let urls) = representation.segments.media else {
                Issue.record("archived segments are listed")
                continue
            }
            #expect(urls.count == 5 && urls.allSatisfy { $0.contains("/archive/") })
            #expect(representation.segments.initialization.contains("/archive/init-"))
        }
        let mpd = manifest.render()
        #expect(mpd.contains("type=\"static\"") && mpd.contains("mediaPresentationDuration") && !mpd.contains("minimumUpdatePeriod"))
    }
}
