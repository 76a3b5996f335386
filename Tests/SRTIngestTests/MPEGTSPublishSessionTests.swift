import Containers
import Foundation
import Hub
import MediaCore
import NIOCore
import Testing
@testable import SRTIngest

/// Feeds MPEG-TS made by ffmpeg (the Containers vectors, read by path) into an
/// `MPEGTSPublishSession` in SRT-sized payloads, and checks what a hub reader receives.
@Suite struct MPEGTSPublishSessionTests {
    static func vector(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../ContainersTests/Vectors/\(name)")
        return [UInt8](try Data(contentsOf: url))
    }

    /// SRT's default live payload: 7 TS packets (`SRTO_PAYLOADSIZE` 1316).
    static let payloadSize = 1316

    /// Feeds `bytes` in payloads of `size` and returns every event up to `.end`.
    static func publish(_ bytes: [UInt8], size: Int = payloadSize) async throws -> [HubEvent] {
        let channel = Hub().channel(named: "srt")
        let reader = channel.reader(capacity: 100_000)
        let session = MPEGTSPublishSession(publisher: try #require(channel.acquirePublisher()))
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + size, bytes.count)
            try session.receive(ByteBuffer(bytes: bytes[offset..<end]))
            offset = end
        }
        session.close()
        session.close()  // a second close is a no-op
        var events: [HubEvent] = []
        while let batch = await reader.next() {
            events += batch
            if case .end = batch.last { break }
        }
        return events
    }

    static func trackSets(_ events: [HubEvent]) -> [[TrackInfo]] {
        events.compactMap { if case .tracks(let tracks) = $0 { tracks } else { nil } }
    }

    static func samples(_ events: [HubEvent]) -> [(track: Int, sample: Sample)] {
        events.compactMap { if case .sample(let track, let sample) = $0 { (track, sample) } else { nil } }
    }

    @Test func h264AndAACBecomeOneTrackSetWithEverySample() async throws {
        let events = try await Self.publish(try Self.vector("h264_aac.ts"))
        let sets = Self.trackSets(events)
        try #require(sets.count == 1)
        #expect(sets[0].map(\.codec) == [.h264, .aac])
        #expect(sets[0][0].video?.width == 320 && sets[0][0].video?.height == 180)
        #expect(sets[0][1].timescale == 48_000)
        guard case .tracks = events.first, case .end = events.last else {
            Issue.record("expected .tracks first and .end last")
            return
        }
        let samples = Self.samples(events)
        // 2 s at 25 fps, and the AAC frames of 2 s at 48 kHz (1024 samples each).
        #expect(samples.filter { $0.track == 0 }.count == 50)
        #expect(samples.filter { $0.track == 1 }.count >= 90)
        #expect(samples.first { $0.track == 0 }?.sample.isSync == true)
    }

    @Test func timestampsStartAtTheSessionsStartTime() async throws {
        let events = try await Self.publish(try Self.vector("h264_aac.ts"))
        let tracks = try #require(Self.trackSets(events).first)
        let samples = Self.samples(events)
        let first = try #require(samples.first)
        let firstTime = MediaTime.rescale(first.sample.dts, from: tracks[first.track].timescale, to: 90_000)
        #expect(abs(firstTime - MPEGTSPublishSession.startTime) <= 1)
        for (track, sample) in samples {
            #expect(sample.dts >= 0, "track \(track) sample at \(sample.dts)")
        }
        // Video keeps its 25 fps cadence (3600 ticks a frame) after the move.
        let video = samples.filter { $0.track == 0 }.map(\.sample.dts)
        #expect(zip(video, video.dropFirst()).allSatisfy { $1 - $0 == 3600 })
    }

    @Test func theSplitOfPayloadsDoesNotMatter() async throws {
        let bytes = try Self.vector("h264_aac.ts")
        let whole = Self.samples(try await Self.publish(bytes, size: bytes.count))
        let odd = Self.samples(try await Self.publish(bytes, size: 1000))
        #expect(whole.map(\.sample.dts) == odd.map(\.sample.dts))
        #expect(whole.map(\.track) == odd.map(\.track))
    }

    @Test func hevcIsCarried() async throws {
        let events = try await Self.publish(try Self.vector("hevc.ts"))
        #expect(Self.trackSets(events).map { $0.map(\.codec) } == [[.hevc]])
        #expect(Self.samples(events).count == 20)
    }

    @Test func onlyTheFirstVideoStreamIsKept() async throws {
        let events = try await Self.publish(try Self.vector("ladder_2x_h264_aac.ts"))
        let sets = Self.trackSets(events)
        #expect(sets.map { $0.map(\.codec) } == [[.h264, .aac]])
        #expect(Self.samples(events).allSatisfy { $0.track < 2 })
    }

    @Test func everyAudioProgrammeIsKeptWithItsLanguage() async throws {
        let events = try await Self.publish(try Self.vector("two_languages.ts"))
        let sets = Self.trackSets(events)
        #expect(sets.map { $0.map(\.codec) } == [[.h264, .aac, .aac]])
        #expect(sets.first?.map(\.language?.value) == [nil, "eng", "fra"])
        let samples = Self.samples(events)
        #expect(samples.filter { $0.track == 1 }.count == 48)
        #expect(samples.filter { $0.track == 2 }.count == 48)
    }

    @Test func garbageThatIsNotMPEGTSThrowsAndTheSessionStillEnds() async throws {
        let channel = Hub().channel(named: "srt")
        let reader = channel.reader(capacity: 100)
        let session = MPEGTSPublishSession(publisher: try #require(channel.acquirePublisher()))
        let garbage = ByteBuffer(bytes: [UInt8](repeating: 0x00, count: TSLimits().maxSyncSearchBytes + 1_316))
        #expect(throws: ContainersError.self) { try session.receive(garbage) }
        session.close()
        let events = await reader.next() ?? []
        guard case .end = events.last else {
            Issue.record("expected .end, got \(events)")
            return
        }
        #expect(!channel.isLive)
    }
}
