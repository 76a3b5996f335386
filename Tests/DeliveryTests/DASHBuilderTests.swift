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
        #expect(manifest.availabilityStartTime == 1_795_341_601_000)
        let templates = manifest.adaptationSets.flatMap(\.representations).map(\.segments)
        #expect(templates.count == 2)
        // Media time at AST: 877 ms after the anchor, in each timescale. Applying the video's own
        // (composition-shifted) anchor would move video 67 ms against audio.
        #expect(templates[0].presentationTimeOffset == 877 * 90)
        #expect(templates[1].presentationTimeOffset == 877 * 48)
        // The wall clock of the audio's first sample is where the packager stamped it.
        let first = Self.window[1].segments[0]
        let presented = MediaTime(ticks: first.startDTS - templates[1].presentationTimeOffset, timescale: 48_000).milliseconds
        #expect(manifest.availabilityStartTime + presented == first.programDateTime)
    }

    @Test func timelineFollowsTheSegmentFiles() throws {
        let template = Self.manifest(Self.window).adaptationSets[0].representations[0].segments
        #expect(template.startNumber == 10)
        #expect(template.initialization == "../../hls/news/720p/init.mp4")
        #expect(template.media == "../../hls/news/720p/$Number$.m4s")
        #expect(template.timeline.map(\.start) == Self.window[0].segments.map(\.startDTS))
        // Each segment ends where the next one's tfdt begins; the last keeps its own duration.
        #expect(template.timeline.map(\.duration) == [180_000, 180_000, 180_000, 180_000, 180_000, 180_090])
    }

    @Test func aDiscontinuityOrALeadingGapStartsTheListLater() throws {
        var video = Self.window[0]
        video.segments[2].discontinuity = true
        var audio = Self.window[1]
        audio.segments[0].gap = true
        audio.segments[0].startDTS = 0
        audio.segments[3].gap = true
        audio.segments[3].startDTS = 0
        let manifest = Self.manifest([video, audio])
        let videoTemplate = manifest.adaptationSets[0].representations[0].segments
        #expect(videoTemplate.startNumber == 12)
        #expect(videoTemplate.timeline.count == 4)
        let audioTemplate = manifest.adaptationSets[1].representations[0].segments
        #expect(audioTemplate.startNumber == 11)
        // A gap further on stays listed (numbers go on), starting where the previous one ended.
        #expect(audioTemplate.timeline.map(\.start) == [1_058_208, 1_154_208, 1_250_208, 1_346_208, 1_442_208])
    }

    @Test func aRenditionOnItsOwnTimelineKeepsItsOwnAnchor() throws {
        // A transcoded rung whose time stamps restarted at zero 40 s into the session.
        let restarted = Self.snapshot("360p", Self.video, Self.segments(10..<16, first: 0, step: 180_000, duration: 180_000,
                                                                         timescale: 90_000, anchor: Self.anchor + 40_000))
        let manifest = Self.manifest(Self.window + [restarted])
        #expect(manifest.availabilityStartTime == Self.anchor + 40_000 - 123 + 1_000)
        let offsets = manifest.adaptationSets.flatMap(\.representations).map { MediaTime(ticks: $0.segments.presentationTimeOffset, timescale: $0.segments.timescale).milliseconds }
        #expect(offsets == [40_877, 877, 40_877])
    }
}
