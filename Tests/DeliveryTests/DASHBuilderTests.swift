import Manifests
import MediaCore
import NIOCore
import Testing
@testable import Delivery
@testable import Packager

/// The MPD's timing from live-window snapshots: video with B-frames (its program date times follow
/// presentation, 2 frames after decode) and audio, stamped from one session anchor.
@Suite struct DASHBuilderTests {
    /// The session's wall clock at media time zero, Unix epoch milliseconds (not a whole second).
    static let anchor: Int64 = 1_795_341_600_123
    /// Two frames at 30 fps in 90 kHz: the video's composition offset.
    static let composition: Int64 = 6_000

    static let video = TrackInfo(codec: .h264, timescale: 90_000, decoderConfig: [], codecString: "avc1.64001f",
                                 video: VideoParameters(width: 1280, height: 720, frameRate: Rational(30, 1)))
    static let audio = TrackInfo(codec: .aac, timescale: 48_000, decoderConfig: [], codecString: "mp4a.40.2",
                                 audio: AudioParameters(sampleRate: 48_000, channelCount: 2, samplesPerFrame: 1_024))

    /// Segments `msns` of a rendition whose first segment starts at `first` (DTS), `step` apart,
    /// each `duration` long, stamped as the packager does (from the presentation time).
    static func segments(_ msns: Range<Int>, first: Int64, step: Int64, duration: Int64, timescale: UInt32, presentationOffset: Int64 = 0,
                         anchor: Int64 = anchor) -> [LiveSegment] {
        msns.enumerated().map { index, msn in
            let dts = first + Int64(index) * step
            return LiveSegment(
                msn: msn, startDTS: dts, duration: duration, discontinuity: false,
                programDateTime: anchor + MediaTime(ticks: dts + presentationOffset, timescale: timescale).milliseconds,
                mapIndex: 0, parts: [], data: [ByteBuffer(bytes: [1])])
        }
    }

    static func snapshot(_ name: String, _ track: TrackInfo, _ segments: [LiveSegment]) -> RenditionSnapshot {
        RenditionSnapshot(name: name, track: track, segments: segments, discontinuitySequence: 0, mapURIs: ["init.mp4"],
                          longestSegment: 180_090, peakBitrate: 1_000_000, averageBitrate: 900_000, isLive: true, endedAt: nil, version: 1)
    }

    static let window: [RenditionSnapshot] = [
        // The last sample's duration of each video segment is estimated 90 ticks long.
        snapshot("720p", video, segments(10..<16, first: 1_800_000, step: 180_000, duration: 180_090, timescale: 90_000,
                                         presentationOffset: composition)),
        snapshot("audio", audio, segments(10..<16, first: 962_208, step: 96_000, duration: 96_000, timescale: 48_000)),
    ]

    static func manifest(_ snapshots: [RenditionSnapshot]) -> DASHManifest {
        DASHBuilder.manifest(channel: "news", snapshots: snapshots, configuration: PackagerConfiguration(), now: anchor + 40_000)
    }

    @Test func videoAndAudioMeetAtOneInstant() throws {
        let manifest = Self.manifest(Self.window)
        #expect(manifest.availabilityStartTime == 0)
        #expect(manifest.periods.map(\.start) == [1_795_341_601_000])
        #expect(manifest.periods.map(\.id) == ["1795341601"])
        let templates = manifest.periods[0].adaptationSets.flatMap(\.representations).map(\.segments)
        #expect(templates.count == 2)
        // Media time at AST: 877 ms after the anchor, in each timescale. Applying the video's own
        // (composition-shifted) anchor would move video 67 ms against audio.
        #expect(templates[0].presentationTimeOffset == 877 * 90)
        #expect(templates[1].presentationTimeOffset == 877 * 48)
        // The wall clock of the audio's first sample is where the packager stamped it.
        let first = Self.window[1].segments[0]
        let presented = MediaTime(ticks: first.startDTS - templates[1].presentationTimeOffset, timescale: 48_000).milliseconds
        #expect(manifest.availabilityStartTime + manifest.periods[0].start + presented == first.programDateTime)
    }

    @Test func timelineFollowsTheSegmentFiles() throws {
        let template = Self.manifest(Self.window).periods[0].adaptationSets[0].representations[0].segments
        #expect(template.startNumber == 10)
        #expect(template.initialization == "../../hls/news/720p/init.mp4")
        #expect(template.media == .template("../../hls/news/720p/$Number$.m4s"))
        #expect(template.timeline.map(\.start) == Self.window[0].segments.map(\.startDTS))
        // Each segment ends where the next one's tfdt begins; the last keeps its own duration.
        #expect(template.timeline.map(\.duration) == [180_000, 180_000, 180_000, 180_000, 180_000, 180_090])
    }

    @Test func aLeadingGapStartsTheListLater() throws {
        var audio = Self.window[1]
        audio.segments[0].gap = true
        audio.segments[0].startDTS = 0
        audio.segments[3].gap = true
        audio.segments[3].startDTS = 0
        let manifest = Self.manifest([Self.window[0], audio])
        #expect(manifest.periods.count == 1)
        let audioTemplate = manifest.periods[0].adaptationSets[1].representations[0].segments
        #expect(audioTemplate.startNumber == 11)
        // A gap further on stays listed (numbers go on), starting where the previous one ended.
        #expect(audioTemplate.timeline.map(\.start) == [1_058_208, 1_154_208, 1_250_208, 1_346_208, 1_442_208])
    }

    /// The encoder reconnected 60 s after the session's anchor: segments 13 on are a new session,
    /// with time stamps from zero again.
    static let reconnected: [RenditionSnapshot] = {
        func session(_ first: [LiveSegment], _ second: [LiveSegment]) -> [LiveSegment] {
            var second = second
            second[0].discontinuity = true
            return first + second
        }
        return [
            snapshot("720p", video, session(
                segments(10..<13, first: 1_800_000, step: 180_000, duration: 180_000, timescale: 90_000, presentationOffset: composition),
                segments(13..<16, first: 0, step: 180_000, duration: 180_000, timescale: 90_000, presentationOffset: composition,
                         anchor: anchor + 60_000))),
            snapshot("audio", audio, session(
                segments(10..<13, first: 960_000, step: 96_000, duration: 96_000, timescale: 48_000),
                segments(13..<16, first: 0, step: 96_000, duration: 96_000, timescale: 48_000, anchor: anchor + 60_000))),
        ]
    }()

    @Test func aReconnectStartsAPeriod() throws {
        let manifest = Self.manifest(Self.reconnected)
        #expect(manifest.periods.map(\.start) == [1_795_341_601_000, 1_795_341_661_000])
        #expect(manifest.periods.map(\.id) == ["1795341601", "1795341661"])
        let templates = manifest.periods.map { $0.adaptationSets.flatMap(\.representations).map(\.segments) }
        #expect(templates.map { $0.map(\.startNumber) } == [[10, 10], [13, 13]])
        #expect(templates.map { $0.map(\.timeline.count) } == [[3, 3], [3, 3]])
        // Each Period's offsets are its renditions' media time at its start.
        #expect(templates[1].map { MediaTime(ticks: $0.presentationTimeOffset, timescale: $0.timescale).milliseconds } == [877, 877])
        // The first Period keeps its id and start when the window no longer shows its beginning.
        let later = Self.manifest(Self.reconnected.map { var s = $0; s.segments.removeFirst(2); return s })
        #expect(later.periods.map(\.id) == ["1795341601", "1795341661"])
    }

    @Test func aRenditionThatStartsNoSessionGoesOnInTheNextPeriod() throws {
        // Only the audio restarted (a transcoder's time stamps, say): the video continues into the
        // audio's new Period, with the media time of that Period's start as its offset.
        var snapshots = Self.reconnected
        snapshots[0] = Self.window[0]
        let manifest = Self.manifest(snapshots)
        #expect(manifest.periods.count == 2)
        let video = manifest.periods[1].adaptationSets[0].representations[0].segments
        #expect(video.startNumber == 13)
        #expect(MediaTime(ticks: video.presentationTimeOffset, timescale: 90_000).milliseconds == 60_877)
    }

    @Test func aRenditionOnItsOwnTimelineKeepsItsOwnAnchor() throws {
        // A transcoded rung whose time stamps restarted at zero 40 s into the session.
        let restarted = Self.snapshot("360p", Self.video, Self.segments(10..<16, first: 0, step: 180_000, duration: 180_000,
                                                                         timescale: 90_000, anchor: Self.anchor + 40_000))
        let manifest = Self.manifest(Self.window + [restarted])
        #expect(manifest.periods.map(\.start) == [Self.anchor + 40_000 - 123 + 1_000])
        let offsets = manifest.periods[0].adaptationSets.flatMap(\.representations).map { MediaTime(ticks: $0.segments.presentationTimeOffset, timescale: $0.segments.timescale).milliseconds }
        #expect(offsets == [40_877, 877, 40_877])
    }
}
