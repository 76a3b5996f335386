import Containers
import Hub
import MediaCore
import NIOCore
import Testing
@testable import SRTIngest

/// SCTE-35 cues in the MPEG-TS of a publish (a PMT stream of type 0x86) become markers on the
/// hub channel, at the time of the frame they point at on the hub's timeline.
@Suite struct MPEGTSPublishSessionCueTests {
    /// The tracks and samples of ffmpeg's `h264_aac.ts`, as the demuxer reads them.
    struct Source {
        var tracks: [TrackInfo] = []
        var samples: [(track: Int, sample: Sample)] = []

        static func load() throws -> Source {
            var demuxer = TSDemuxer()
            var buffer = ByteBuffer(bytes: try MPEGTSPublishSessionTests.vector("h264_aac.ts"))
            var source = Source()
            for output in try demuxer.feed(&buffer) + demuxer.flush() {
                switch output {
                case .tracks(let tracks): source.tracks = tracks.map(\.info)
                case .sample(let track, let sample): source.samples.append((track, sample))
                case .spliceInfo: break
                }
            }
            return source
        }

        /// The same stream muxed again with an SCTE-35 stream; `cues[n]` go after sample `n`.
        func mux(cues: [Int: [SpliceInfoSection]]) throws -> [UInt8] {
            var muxer = try TSMuxer(tracks: tracks, cues: true)
            var out = ByteBuffer()
            for (n, (track, sample)) in samples.enumerated() {
                try muxer.write(track: track, sample: sample, into: &out)
                for cue in cues[n] ?? [] { try muxer.write(splice: cue, into: &out) }
            }
            return Array(out.readableBytesView)
        }

        /// The 90 kHz presentation times of the video samples.
        var videoTimes: [Int64] { samples.filter { $0.track == 0 }.map(\.sample.pts) }
    }

    struct Published {
        var markers: [ChannelMarker]
        var rejectedCues: Int
        /// Video presentation times on the hub's timeline (90 kHz), in order.
        var videoTimes: [Int64]
    }

    static func publish(_ bytes: [UInt8]) async throws -> Published {
        let channel = Hub().channel(named: "srt")
        let reader = channel.reader(capacity: 100_000)
        let session = MPEGTSPublishSession(publisher: try #require(channel.acquirePublisher()))
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + MPEGTSPublishSessionTests.payloadSize, bytes.count)
            try session.receive(ByteBuffer(bytes: bytes[offset..<end]))
            offset = end
        }
        session.close()
        var events: [HubEvent] = []
        while let batch = await reader.next() {
            events += batch
            if case .end = batch.last { break }
        }
        let tracks = try #require(MPEGTSPublishSessionTests.trackSets(events).first)
        #expect(tracks[0].timescale == 90_000)
        let video = MPEGTSPublishSessionTests.samples(events).filter { $0.track == 0 }.map(\.sample.pts)
        return Published(markers: channel.markers.take(), rejectedCues: session.rejectedCues, videoTimes: video)
    }

    @Test func aSpliceInsertBecomesOneAdBreakAtTheFrameItPointsAt() async throws {
        let source = try Source.load()
        let frame = source.videoTimes[30]
        let cue = SpliceInfoSection.breakStart(eventID: 7, ptsTime: UInt64(frame), duration: 2_700_000)
        // Encoders repeat a cue before its splice time: one marker still.
        let published = try await Self.publish(try source.mux(cues: [10: [cue], 20: [cue], 25: [cue]]))
        let marker = try #require(published.markers.first)
        #expect(published.markers.count == 1)
        #expect(published.rejectedCues == 0)
        #expect(marker.kind == .adBreak)
        #expect(marker.eventID == 7)
        #expect(marker.id == "scte35-7")
        #expect(marker.duration.milliseconds == 30_000)
        #expect(marker.start == .mediaTime(MediaTime(ticks: published.videoTimes[30], timescale: 90_000)))
        #expect(published.videoTimes.count == source.videoTimes.count)
    }

    @Test func ptsAdjustmentMovesTheSplice() async throws {
        let source = try Source.load()
        // pts_time + pts_adjustment wraps the 33-bit clock onto the frame (§9.6.1).
        let adjustment: Int64 = 1 << 32
        let ptsTime = UInt64((source.videoTimes[40] - adjustment) & (1 << 33 - 1))
        var cue = SpliceInfoSection.programmeStart(eventID: 3, ptsTime: ptsTime, duration: 90_000 * 60)
        cue.ptsAdjustment = UInt64(adjustment)
        let published = try await Self.publish(try source.mux(cues: [5: [cue]]))
        let marker = try #require(published.markers.first)
        #expect(marker.kind == .programme)
        #expect(marker.start == .mediaTime(MediaTime(ticks: published.videoTimes[40], timescale: 90_000)))
    }

    @Test func aCueBeforeTheFirstSampleWaitsForIt() async throws {
        let source = try Source.load()
        let cue = SpliceInfoSection.breakStart(eventID: 5, ptsTime: UInt64(source.videoTimes[20]), duration: 90_000)
        let published = try await Self.publish(try source.mux(cues: [0: [cue]]))
        #expect(published.rejectedCues == 0)
        #expect(published.markers.map(\.start) == [.mediaTime(MediaTime(ticks: published.videoTimes[20], timescale: 90_000))])
    }

    @Test func anImmediateSpliceStartsAtTheLatestFrame() async throws {
        let source = try Source.load()
        let cue = SpliceInfoSection(command: .insert(SpliceInsert(
            eventID: 11, outOfNetwork: true, ptsTime: nil, breakDuration: .init(autoReturn: true, duration: 900_000))))
        let n = 60
        let published = try await Self.publish(try source.mux(cues: [n: [cue]]))
        let marker = try #require(published.markers.first)
        guard case .mediaTime(let start) = marker.start else {
            Issue.record("not a media time: \(marker.start)")
            return
        }
        // The hub's timeline is the source's moved by a constant.
        let shift = published.videoTimes[0] - source.videoTimes[0]
        let written = source.samples[0...n].map { MediaTime.rescale($0.sample.pts, from: source.tracks[$0.track].timescale, to: 90_000) }
        // At most the latest frame written before it, and not older than a few frames (the
        // demuxer completes a video PES when the next one starts).
        #expect(start.ticks <= written.max()! + shift)
        #expect(start.ticks >= written.max()! + shift - 3 * 3_600)
    }

    @Test func aCueThatStartsNothingUsableIsCountedAndThePublishGoesOn() async throws {
        let source = try Source.load()
        // An ad break without a duration cannot be placed; a return to the network starts nothing.
        let noDuration = SpliceInfoSection(command: .insert(SpliceInsert(eventID: 1, outOfNetwork: true, ptsTime: 200_000)))
        let back = SpliceInfoSection.breakEnd(eventID: 1, ptsTime: 300_000)
        let good = SpliceInfoSection.breakStart(eventID: 2, ptsTime: UInt64(source.videoTimes[45]), duration: 90_000)
        let published = try await Self.publish(try source.mux(cues: [10: [noDuration], 20: [back], 30: [good]]))
        #expect(published.rejectedCues == 1)
        #expect(published.markers.map(\.eventID) == [2])
        #expect(published.videoTimes.count == source.videoTimes.count)
    }
}

/// A cue in a transport stream sent by a libsrt caller over loopback reaches the channel.
@Suite(.serialized) struct SRTCueTests {
    @Test func aCueSentOverSRTBecomesAMarkerOnTheChannel() async throws {
        let source = try MPEGTSPublishSessionCueTests.Source.load()
        let cue = SpliceInfoSection.breakStart(eventID: 21, ptsTime: UInt64(source.videoTimes[45]), duration: 2_700_000)
        let bytes = try source.mux(cues: [100: [cue]])
        try await SRTIngestServiceTests.withListener { port, hub, _ in
            let channel = hub.channel(named: "one")  // held: the hub forgets channels nobody holds
            let caller = try SRTCaller(port: port, streamID: "#!::r=live/\(SRTIngestServiceTests.goodKey),m=publish")
            try #require(caller.connected)
            // The first packets, a pause for the grant, then the rest with the cue.
            #expect(caller.send(Array(bytes[..<(188 * 70)])))
            try await Task.sleep(for: .milliseconds(1_500))
            #expect(caller.send(Array(bytes[(188 * 70)...])))
            var markers: [ChannelMarker] = []
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline, markers.isEmpty {
                markers += channel.markers.take()
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(markers.map(\.eventID) == [21])
            #expect(markers.first?.kind == .adBreak)
        }
    }
}
