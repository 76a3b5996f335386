import Foundation
import Hub
import MediaCore
import NIOCore
import Testing
@testable import Ingest

/// Feeds FLV tag bodies into an `FLVPublishSession` whose publisher belongs to a hub channel, and
/// checks what a subscribed reader receives.
@Suite struct FLVPublishSessionTests {
    // MARK: Fixtures

    struct FileTag {
        var kind: FLVTagKind
        var timestamp: UInt32
        var body: ByteBuffer
    }

    /// The ffmpeg-made FLV of the Containers vectors (see its README): H.264 High 3.0 640x360 30 fps
    /// with B-frames, AAC-LC 44.1 kHz stereo. IngestTests has no resources, so it is read by path.
    static func ffmpegTags() throws -> [FileTag] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../ContainersTests/Vectors/h264_aac.flv")
        let bytes = [UInt8](try Data(contentsOf: url))
        try #require(bytes.count > 13 && bytes[0] == 0x46)
        var offset = Int(bytes[8]) + 4  // header size (9) + PreviousTagSize0
        var tags: [FileTag] = []
        while offset + 11 <= bytes.count {
            let size = Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let ts = UInt32(bytes[offset + 4]) << 16 | UInt32(bytes[offset + 5]) << 8 | UInt32(bytes[offset + 6]) | UInt32(bytes[offset + 7]) << 24
            try #require(offset + 11 + size <= bytes.count)
            let body = ByteBuffer(bytes: bytes[offset + 11..<offset + 11 + size])
            if bytes[offset] == 8 { tags.append(FileTag(kind: .audio, timestamp: ts, body: body)) }
            if bytes[offset] == 9 { tags.append(FileTag(kind: .video, timestamp: ts, body: body)) }
            offset += 11 + size + 4
        }
        return tags
    }

    /// The AVC sequence header body (5-byte AVC packet header + avcC) of the ffmpeg file.
    static func avcSequenceHeader() throws -> [UInt8] {
        try #require(try ffmpegTags().first { $0.kind == .video }.map { Array($0.body.readableBytesView) })
    }

    struct Harness {
        let channel: HubChannel
        let reader: HubReader
        let session: FLVPublishSession

        init() throws {
            channel = Hub().channel(named: "test")
            reader = channel.reader(capacity: 100_000)
            session = FLVPublishSession(publisher: try #require(channel.acquirePublisher()))
        }

        func video(_ ts: UInt32, _ body: [UInt8]) throws { try session.media(.video, timestamp: ts, body: ByteBuffer(bytes: body)) }
        func audio(_ ts: UInt32, _ body: [UInt8]) throws { try session.media(.audio, timestamp: ts, body: ByteBuffer(bytes: body)) }

        /// Closes the session and returns every event up to and including `.end`.
        func finish() async -> [HubEvent] {
            session.close()
            session.close()  // a second close is a no-op
            var events: [HubEvent] = []
            while let batch = await reader.next() {
                for event in batch {
                    events.append(event)
                    if case .end = event { return events }
                }
            }
            return events
        }
    }

    struct SampleSummary: Equatable {
        var track: Int
        var dts: Int64
        var compositionOffset: Int32
        var isSync: Bool
        var data: [UInt8]
    }

    static func samples(_ events: [HubEvent]) -> [SampleSummary] {
        events.compactMap {
            guard case .sample(let track, let s) = $0 else { return nil }
            return SampleSummary(track: track, dts: s.dts, compositionOffset: s.compositionOffset, isSync: s.isSync,
                                 data: Array(s.data.readableBytesView))
        }
    }

    static func trackSets(_ events: [HubEvent]) -> [[TrackInfo]] {
        events.compactMap { if case .tracks(let t) = $0 { t } else { nil } }
    }

    static func feedFile(_ h: Harness) throws {
        h.session.metadata(["framerate": .number(30), "width": .number(640), "videocodecid": .number(7)])
        for tag in try ffmpegTags() { try h.session.media(tag.kind, timestamp: tag.timestamp, body: tag.body) }
    }

    static let aacConfig: [UInt8] = [0xAF, 0x00, 0x12, 0x10]  // AAC-LC 44.1 kHz stereo
    static let idr: [UInt8] = [0x17, 1, 0, 0, 0, 0, 0, 0, 2, 0x65, 0x88]
    static let nonIDR: [UInt8] = [0x27, 1, 0, 0, 0, 0, 0, 0, 2, 0x41, 0x9A]

    // MARK: Tests

    @Test func ffmpegStreamBecomesTracksThenSamples() async throws {
        let h = try Harness()
        try Self.feedFile(h)
        let events = await h.finish()

        guard case .tracks(let tracks) = events.first else {
            Issue.record("first event is not .tracks: \(String(describing: events.first))")
            return
        }
        #expect(Self.trackSets(events).count == 1)
        #expect(tracks.map(\.codecString) == ["avc1.64001e", "mp4a.40.2"])
        #expect(tracks[0].codec == .h264 && tracks[0].timescale == 90_000)
        #expect(tracks[0].video == VideoParameters(width: 640, height: 360, frameRate: Rational(30, 1)))
        #expect(tracks[1].codec == .aac && tracks[1].timescale == 44_100)
        #expect(tracks[1].audio == AudioParameters(sampleRate: 44_100, channelCount: 2, samplesPerFrame: 1024))
        #expect(tracks[1].decoderConfig == [0x12, 0x10, 0x56, 0xE5, 0x00])
        if case .end = events.last {} else { Issue.record("last event is not .end") }

        let samples = Self.samples(events)
        let video = samples.filter { $0.track == 0 }
        let audio = samples.filter { $0.track == 1 }
        #expect(video.count == 60)
        #expect(audio.count == 88)
        // Video: RTMP ms × 90, monotonic dts, B-frame composition offsets (pts order differs).
        // Coded frames of the file: AVCPacketType 1 (the file also has a sequence header and an end of sequence).
        let fileVideo = try Self.ffmpegTags().filter { $0.kind == .video && $0.body.getInteger(at: 1, as: UInt8.self) == 1 }
        let fileAudio = try Self.ffmpegTags().filter { $0.kind == .audio && $0.body.getInteger(at: 1, as: UInt8.self) == 1 }
        #expect(video.map(\.dts) == fileVideo.map { Int64($0.timestamp) * 90 })
        #expect(zip(video, video.dropFirst()).allSatisfy { $0.dts <= $1.dts })
        let pts = video.map { $0.dts + Int64($0.compositionOffset) }
        #expect(pts != pts.sorted())
        #expect(video.contains { $0.compositionOffset > 0 })
        #expect(video.filter { $0.isSync }.count == 2)
        #expect(video[0].isSync)
        // The NAL units are passed through as received (4-byte lengths already).
        #expect(video[0].data == Array(fileVideo.first!.body.readableBytesView.dropFirst(5)))
        // Audio: starts at the first RTMP stamp (44 ms: ffmpeg's encoder delay) rescaled to 44.1 kHz,
        // floor-rounded, then advances exactly 1024 per frame although the stamps step 23/23/24 ms.
        #expect(fileAudio[0].timestamp == 44)
        #expect(audio[0].dts == 1_940)
        #expect(zip(audio, audio.dropFirst()).allSatisfy { $1.dts - $0.dts == 1024 })
        #expect(audio.allSatisfy { $0.isSync })
    }

    @Test func sameInputGivesSameOutput() async throws {
        let a = try Harness(), b = try Harness()
        try Self.feedFile(a)
        try Self.feedFile(b)
        let (ea, eb) = (await a.finish(), await b.finish())
        #expect(Self.samples(ea) == Self.samples(eb))
        #expect(Self.trackSets(ea) == Self.trackSets(eb))
    }

    @Test func framesBeforeTheFirstKeyFrameAreDropped() async throws {
        let h = try Harness()
        try h.video(0, Self.nonIDR)  // before any configuration
        try h.video(0, try Self.avcSequenceHeader())
        try h.video(0, Self.nonIDR)
        try h.video(33, Self.nonIDR)
        try h.video(67, Self.idr)
        try h.video(100, Self.nonIDR)
        let events = await h.finish()
        let samples = Self.samples(events)
        #expect(samples.map(\.dts) == [67 * 90, 100 * 90])
        #expect(samples.map(\.isSync) == [true, false])
        #expect(Self.trackSets(events).map { $0.map(\.codec) } == [[.h264]])
    }

    @Test func repeatedHeadersAreIgnoredAndChangesAreDiscontinuities() async throws {
        let h = try Harness()
        let header = try Self.avcSequenceHeader()
        try h.video(0, header)
        try h.audio(0, Self.aacConfig)
        try h.video(0, Self.idr)
        try h.audio(10, [0xAF, 1, 0x21])
        try h.video(33, header)  // identical: ignored
        try h.audio(33, Self.aacConfig)  // identical: ignored
        try h.video(33, Self.nonIDR)
        var changed = header
        changed[5 + 3] = 0x1F  // avcC AVCLevelIndication 3.1: different bytes
        try h.video(67, changed)
        try h.video(67, Self.nonIDR)  // new configuration waits for a key frame
        try h.video(100, Self.idr)
        try h.audio(110, [0xAF, 0, 0x11, 0x88])  // new audio config: 48 kHz mono
        try h.audio(120, [0xAF, 1, 0x21])
        let events = await h.finish()

        let sets = Self.trackSets(events)
        #expect(sets.count == 3)
        #expect(sets[0].map(\.codecString) == ["avc1.64001e", "mp4a.40.2"])
        #expect(sets[1][0].decoderConfig == Array(changed.dropFirst(5)))
        #expect(sets[2][1].timescale == 48_000)
        // Tracks come before the first sample of their configuration.
        guard case .tracks = events[0] else { Issue.record("no leading .tracks"); return }
        let samples = Self.samples(events)
        #expect(samples.map(\.track) == [0, 1, 0, 0, 1])
        let expectedDTS: [Int64] = [0, 441, 2_970, 9_000, 5_760]
        #expect(samples.map(\.dts) == expectedDTS)
        let sampleIndex = events.firstIndex { if case .sample(_, let s) = $0 { s.dts == 100 * 90 } else { false } }
        let secondTracks = events.indices.filter { if case .tracks = events[$0] { true } else { false } }[1]
        #expect(secondTracks == sampleIndex.map { $0 - 1 })
    }

    @Test func twoByteNALLengthsAreRewrittenToFour() async throws {
        let h = try Harness()
        var header = try Self.avcSequenceHeader()
        header[5 + 4] = 0xFD  // lengthSizeMinusOne = 1
        try h.video(0, header)
        try h.video(0, [0x17, 1, 0, 0, 0, 0, 2, 0x65, 0x88, 0, 1, 0x06])
        let events = await h.finish()
        let tracks = Self.trackSets(events)[0]
        #expect(tracks[0].decoderConfig[4] == 0xFF)  // the emitted record says 4-byte lengths
        #expect(Self.samples(events).map(\.data) == [[0, 0, 0, 2, 0x65, 0x88, 0, 0, 0, 1, 0x06]])
    }

    @Test func audioTimestampsAreSmoothedAndResyncAfterAGap() async throws {
        let h = try Harness()
        try h.audio(1000, Self.aacConfig)
        // Frame n at 1000 + n·1024/44.1 ms, rounded down, with ±1 ms jitter on some frames.
        let jitter: [Int] = [0, 1, -1, 0, 1, 0, -1, 0]
        for n in 0..<8 {
            let ms = 1000 + n * 1024 * 1000 / 44_100 + jitter[n]
            try h.audio(UInt32(ms), [0xAF, 1, 0x21])
        }
        // Two frames missing: the stamp jumps by three frame durations.
        let afterGap = 1000 + 10 * 1024 * 1000 / 44_100
        try h.audio(UInt32(afterGap), [0xAF, 1, 0x21])
        try h.audio(UInt32(afterGap + 23), [0xAF, 1, 0x21])
        let events = await h.finish()
        let dts = Self.samples(events).map(\.dts)
        let expected: [Int64] = (0..<8).map { (i: Int) -> Int64 in 44_100 + Int64(i) * 1024 }
        #expect(Array(dts.prefix(8)) == expected)
        #expect(dts[8] == Int64(afterGap) * 44_100 / 1000)
        #expect(dts[9] == dts[8] + 1024)
        #expect(FLVPublishSession.audioResyncTolerance(frameDuration: 1024) == 512)
    }

    @Test func rtmpClockWrapAroundIsUnwrapped() async throws {
        let h = try Harness()
        try h.video(UInt32.max - 32, try Self.avcSequenceHeader())
        try h.video(UInt32.max - 32, Self.idr)
        try h.video(0, Self.nonIDR)  // 33 ms later, after the 32-bit wrap
        try h.video(33, Self.nonIDR)
        let events = await h.finish()
        let start = Int64(UInt32.max - 32) * 90
        #expect(Self.samples(events).map(\.dts) == [start, start + 33 * 90, start + 66 * 90])
    }

    @Test func malformedBodiesThrow() async throws {
        let h = try Harness()
        let bad: [(FLVTagKind, [UInt8])] = [
            (.video, []),
            (.video, [0x17, 0, 0, 0, 0, 0x01, 0x64]),  // truncated avcC
            (.video, [0x17, 0, 0, 0, 0, 0x01, 0x64, 0x00, 0x1E, 0xFF, 0xE1, 0x00, 0x02, 0x68, 0x00, 0x00]),  // "SPS" is a PPS
            (.audio, [0xAF, 0, 0x12]),  // truncated ASC
            (.audio, [0x2F, 1, 0]),  // MP3
        ]
        for (kind, body) in bad {
            #expect(throws: (any Error).self) { try h.session.media(kind, timestamp: 0, body: ByteBuffer(bytes: body)) }
        }
        // A coded frame whose NAL lengths overrun the body.
        try h.video(0, try Self.avcSequenceHeader())
        #expect(throws: (any Error).self) { try h.video(0, [0x17, 1, 0, 0, 0, 0, 0, 0, 9, 0x65]) }
        let events = await h.finish()
        #expect(Self.samples(events).isEmpty)
        if case .end = events.last {} else { Issue.record("no .end after close") }
    }

    @Test func metadataFrameRateMapsToExactFractions() {
        #expect(FLVPublishSession.frameRate(fromMetadata: 30) == Rational(30, 1))
        #expect(FLVPublishSession.frameRate(fromMetadata: 29.97) == Rational(30_000, 1_001))
        #expect(FLVPublishSession.frameRate(fromMetadata: 59.94005994) == Rational(60_000, 1_001))
        #expect(FLVPublishSession.frameRate(fromMetadata: 12.5) == Rational(25, 2))
        #expect(FLVPublishSession.frameRate(fromMetadata: .nan) == nil)
        #expect(FLVPublishSession.frameRate(fromMetadata: -1) == nil)
    }

    static func codecVector(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../CodecsTests/Vectors/\(name)")
        return [UInt8](try Data(contentsOf: url))
    }

    @Test func enhancedRTMPHEVCUsesIRAPForSync() async throws {
        let h = try Harness()
        h.session.metadata(["framerate": .number(29.97)])
        try h.video(0, [0x90] + Array("hvc1".utf8) + (try Self.codecVector("hevc_hvcC.bin")))
        // CodedFramesX, frame type key but a TRAIL_R NAL unit (type 1): not a sync sample, dropped.
        try h.video(0, [0x93] + Array("hvc1".utf8) + [0, 0, 0, 3, 0x02, 0x01, 0xAA])
        // CodedFrames with CTS 33 ms and an IDR_W_RADL NAL unit (type 19).
        try h.video(33, [0x91] + Array("hvc1".utf8) + [0, 0, 33, 0, 0, 0, 3, 0x26, 0x01, 0xAF])
        let events = await h.finish()
        let tracks = Self.trackSets(events)
        #expect(tracks.count == 1)
        #expect(tracks.first?.first?.codecString == "hvc1.1.6.L63.90")
        #expect(tracks.first?.first?.video == VideoParameters(width: 640, height: 360, frameRate: Rational(30_000, 1_001)))
        let samples = Self.samples(events)
        #expect(samples.map(\.dts) == [33 * 90])
        #expect(samples.map(\.compositionOffset) == [33 * 90])
        #expect(samples.map(\.isSync) == [true])
    }

    @Test func enhancedRTMPAV1() async throws {
        let h = try Harness()
        try h.video(0, [0x90] + Array("av01".utf8) + (try Self.codecVector("av1_av1C.bin")))
        try h.video(0, [0x91] + Array("av01".utf8) + [0x12, 0x00])  // a temporal delimiter OBU
        try h.audio(0, [0x90] + Array("Opus".utf8) + (try Self.codecVector("opus_head.bin")))
        try h.audio(5, [0x91] + Array("Opus".utf8) + [0xFC, 0x01])  // CELT 20 ms
        try h.audio(25, [0x91] + Array("Opus".utf8) + [0xFC, 0x01])
        let events = await h.finish()
        let tracks = Self.trackSets(events)
        #expect(tracks.last?.map(\.codecString) == ["av01.0.01M.08", "opus"])
        #expect(tracks.last?.first?.video?.width == 640)
        #expect(tracks.last?.last?.decoderConfig == [0, 1, 0x01, 0x38, 0, 0, 0xBB, 0x80, 0, 0, 0])
        let audio = Self.samples(events).filter { $0.track == 1 }
        #expect(audio.map(\.dts) == [240, 1_200])
    }
}
