import MediaCore
import NIOCore
import Testing
@testable import Containers

/// The size of a 10-minute 720p clip: 300 segments of 2 s per rendition, 18,000 video samples and
/// 28,200 audio samples (94 per segment), each segment in four parts as the packager writes them.
@Suite struct MP4ClipPerformanceTests {
    static func segments(samplesPerSegment: Int, segments: Int, duration: UInt32, video: Bool) -> [ByteBuffer] {
        let data = ByteBuffer(bytes: [0, 0, 0, 1, 0x65])
        var out: [ByteBuffer] = []
        out.reserveCapacity(segments)
        var sequence: UInt32 = 0
        for n in 0..<segments {
            var segment = ByteBuffer()
            let perPart = samplesPerSegment / 4
            for part in 0..<4 {
                let count = part == 3 ? samplesPerSegment - 3 * perPart : perPart
                let first = n * samplesPerSegment + part * perPart
                let samples = (0..<count).map { i in
                    FragmentSample(duration: duration, compositionOffset: video ? Int32((first + i) % 3) * 3000 : 0,
                                   isSync: !video || (part == 0 && i == 0), data: data)
                }
                sequence += 1
                var fragment = FMP4Writer.fragment(sequenceNumber: sequence, baseMediaDecodeTime: UInt64(first) * UInt64(duration), samples: samples)
                segment.writeBuffer(&fragment)
            }
            out.append(segment)
        }
        return out
    }

    @Test func tenMinuteClipParsesAndLaysOutQuickly() throws {
        let videoTrack = MP4Track(trackID: 1, mediaType: .video, timescale: 90_000, sampleEntry: [0, 0, 0, 8] + Array("avc1".utf8))
        let audioTrack = MP4Track(trackID: 1, mediaType: .audio, timescale: 48_000, sampleEntry: [0, 0, 0, 8] + Array("mp4a".utf8))
        let video = Self.segments(samplesPerSegment: 60, segments: 300, duration: 3000, video: true)
        let audio = Self.segments(samplesPerSegment: 94, segments: 300, duration: 1024, video: false)

        let clock = ContinuousClock()
        var layout: MP4ClipLayout?
        var counts = (0, 0)
        let elapsed = try clock.measure {
            var videoSamples: [MP4Sample] = [], audioSamples: [MP4Sample] = []
            videoSamples.reserveCapacity(18_000)
            audioSamples.reserveCapacity(28_200)
            for (n, segment) in video.enumerated() {
                try FMP4Reader.appendSamples(inSegment: segment, track: videoTrack, source: n, to: &videoSamples)
            }
            for (n, segment) in audio.enumerated() {
                try FMP4Reader.appendSamples(inSegment: segment, track: audioTrack, source: 300 + n, to: &audioSamples)
            }
            counts = (videoSamples.count, audioSamples.count)
            layout = try MP4ClipWriter.layout(tracks: [MP4ClipTrack(track: videoTrack, samples: videoSamples),
                                                       MP4ClipTrack(track: audioTrack, samples: audioSamples)])
        }
        #expect(counts == (18_000, 28_200))
        let result = try #require(layout)
        #expect(result.duration.timescale == 90_000 && result.duration.ticks >= 600 * 90_000)
        print("10-minute clip: parse + layout of \(counts.0 + counts.1) samples in \(elapsed), header \(result.header.readableBytes) bytes, \(result.ranges.count) ranges")
        // Generous for debug builds on a shared machine; release builds take a fraction of this.
        #expect(elapsed < .seconds(5))
    }
}
