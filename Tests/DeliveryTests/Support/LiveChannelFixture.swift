import Hub
import MediaCore
import NIOCore
import Packager

/// A packaged live channel fed with synthetic samples: H.264-labelled video at 30 fps with a key
/// frame every 2 s, and AAC-labelled audio at 48 kHz, interleaved by time. The publisher stays
/// connected, so playlists carry parts, a preload hint and rendition reports.
final class LiveChannelFixture: Sendable {
    let packager: ChannelPackager
    let publisher: HubPublisher
    private let task: Task<Void, Never>

    /// Frozen wall clock, Unix epoch milliseconds.
    static let now: Int64 = 1_700_000_000_000

    /// - Parameter seconds: media fed; past 12 s (six target durations) delta updates skip.
    init(name: String, registry: PackagerRegistry, seconds: Int = 24) async throws {
        let hub = Hub()
        let channel = hub.channel(named: name)
        let packager = ChannelPackager(channel: channel, configuration: PackagerConfiguration(), now: { Self.now })
        registry.register(packager)
        let task = Task { await packager.run() }
        guard let publisher = channel.acquirePublisher() else { throw FixtureError("channel already published") }
        self.packager = packager
        self.publisher = publisher
        self.task = task

        let video = TrackInfo(codec: .h264, timescale: 90_000, decoderConfig: [1, 0x64, 0, 0x1F, 0xFF, 0xE0, 0, 0xF0],
                              codecString: "avc1.64001f",
                              video: VideoParameters(width: 640, height: 360, frameRate: Rational(30, 1)))
        let audio = TrackInfo(codec: .aac, timescale: 48_000, decoderConfig: [0x11, 0x90], codecString: "mp4a.40.2",
                              audio: AudioParameters(sampleRate: 48_000, channelCount: 2, samplesPerFrame: 1_024))
        // The packager subscribes when its task runs; one that comes after the tracks still gets
        // them, but not earlier samples, so wait until it has seen the tracks.
        publisher.send(.tracks([video, audio]))
        guard try await Self.settle({ packager.renditions.count == 2 }) else { throw FixtureError("the packager did not pick up the tracks") }

        try await feed(seconds: 0..<seconds)
        let lastSegment = seconds / 2 - 1
        guard try await Self.settle({ self.isCaughtUp(lastSegment) }) else { throw FixtureError("the packager did not cut the segments") }
    }

    /// Sends the media of `seconds` (of the channel's timeline): a frame every 1/30 s, a key frame
    /// every 2 s, and the audio frames that start before each video frame.
    func feed(seconds: Range<Int>) async throws {
        let firstFrame = seconds.lowerBound * 30
        // The first audio frame not sent yet: the one past the last frame before `firstFrame`.
        var audioIndex = firstFrame == 0 ? 0 : Int((Int64(firstFrame - 1) * 3_000 * 48_000) / (1_024 * 90_000)) + 1
        for frame in firstFrame..<(seconds.upperBound * 30) {
            let dts = Int64(frame) * 3_000
            while Int64(audioIndex) * 1_024 * 90_000 / 48_000 <= dts {
                publisher.send(.sample(track: 1, Sample(dts: Int64(audioIndex) * 1_024, isSync: true, data: ByteBuffer(bytes: [0x21, 0x10]))))
                audioIndex += 1
            }
            publisher.send(.sample(track: 0, Sample(dts: dts, isSync: frame % 60 == 0, data: ByteBuffer(bytes: [0, 0, 0, 1, 0x65]))))
            if frame % 30 == 0 { try await Task.sleep(for: .milliseconds(2)) }
        }
    }

    /// Polls `condition` for up to 20 s: generous, for a machine busy with other builds.
    private static func settle(_ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        return condition()
    }

    private func isCaughtUp(_ msn: Int) -> Bool {
        packager.renditions.count == 2 && packager.renditions.allSatisfy { ($0.snapshot()?.lastCompleteMSN ?? -1) >= msn - 1 }
    }

    func stop() {
        publisher.finish()
        task.cancel()
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
