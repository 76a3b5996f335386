import NIOCore
import Testing
@testable import Containers

@Suite struct FLVTagTests {
    static let payload = ByteBuffer(bytes: [0, 0, 0, 2, 0x65, 0x88])

    /// One table for parse and serialise: value, whether it is written enhanced, and its bytes.
    static let videoCases: [(tag: FLVVideoTag, enhanced: Bool, bytes: [UInt8])] = [
        (.sequenceStart(.avc, config: ByteBuffer(bytes: [1, 0x64])), false, [0x17, 0, 0, 0, 0, 1, 0x64]),
        (.codedFrame(.avc, frameType: .key, compositionTime: 67, data: payload), false, [0x17, 1, 0, 0, 67, 0, 0, 0, 2, 0x65, 0x88]),
        (.codedFrame(.avc, frameType: .inter, compositionTime: -33, data: payload), false, [0x27, 1, 0xFF, 0xFF, 0xDF, 0, 0, 0, 2, 0x65, 0x88]),
        (.sequenceEnd(.avc), false, [0x17, 2, 0, 0, 0]),
        (.sequenceStart(.hevc, config: ByteBuffer(bytes: [1])), true, [0x90] + Array("hvc1".utf8) + [1]),
        (.codedFrame(.hevc, frameType: .inter, compositionTime: 40, data: payload), true, [0xA1] + Array("hvc1".utf8) + [0, 0, 40, 0, 0, 0, 2, 0x65, 0x88]),
        (.codedFrame(.hevc, frameType: .key, compositionTime: 0, data: payload), true, [0x93] + Array("hvc1".utf8) + [0, 0, 0, 2, 0x65, 0x88]),
        (.codedFrame(.av1, frameType: .key, compositionTime: 0, data: ByteBuffer(bytes: [0x12, 0])), true, [0x91] + Array("av01".utf8) + [0x12, 0]),
        (.sequenceEnd(.av1), true, [0x92] + Array("av01".utf8)),
        (.codedFrame(.avc, frameType: .key, compositionTime: 10, data: payload), true, [0x91] + Array("avc1".utf8) + [0, 0, 10, 0, 0, 0, 2, 0x65, 0x88]),
        (.metadata(.hevc, ByteBuffer(bytes: [2, 0, 1, 0x78])), true, [0xD4] + Array("hvc1".utf8) + [2, 0, 1, 0x78]),
        (.command(0), false, [0x57, 0]),
    ]

    @Test(arguments: 0..<videoCases.count) func videoTagRoundTrips(_ i: Int) throws {
        let c = Self.videoCases[i]
        #expect(Array(c.tag.serialized(enhanced: c.enhanced).readableBytesView) == c.bytes)
        #expect(try FLVVideoTag(parsing: ByteBuffer(bytes: c.bytes)) == c.tag)
    }

    static let audioCases: [(tag: FLVAudioTag, enhanced: Bool, bytes: [UInt8])] = [
        (.sequenceStart(.aac, config: ByteBuffer(bytes: [0x12, 0x10])), false, [0xAF, 0, 0x12, 0x10]),
        (.codedFrame(.aac, data: ByteBuffer(bytes: [0x21, 0x10])), false, [0xAF, 1, 0x21, 0x10]),
        (.sequenceStart(.opus, config: ByteBuffer(bytes: Array("OpusHead".utf8))), true, [0x90] + Array("Opus".utf8) + Array("OpusHead".utf8)),
        (.codedFrame(.opus, data: ByteBuffer(bytes: [0xFC])), true, [0x91] + Array("Opus".utf8) + [0xFC]),
        (.codedFrame(.aac, data: ByteBuffer(bytes: [0x21])), true, [0x91] + Array("mp4a".utf8) + [0x21]),
        (.sequenceEnd(.aac), true, [0x92] + Array("mp4a".utf8)),
    ]

    @Test(arguments: 0..<audioCases.count) func audioTagRoundTrips(_ i: Int) throws {
        let c = Self.audioCases[i]
        #expect(Array(c.tag.serialized(enhanced: c.enhanced).readableBytesView) == c.bytes)
        #expect(try FLVAudioTag(parsing: ByteBuffer(bytes: c.bytes)) == c.tag)
    }

    @Test func malformedAndUnsupportedBodiesThrow() {
        let bad: [[UInt8]] = [[], [0x17], [0x17, 1, 0], [0x12, 0, 0, 0, 0], [0x07, 1, 0, 0, 0], [0x90, 0x61], [0x90] + Array("vp09".utf8),
                              [0x96] + Array("hvc1".utf8), [0x15, 0], [0x17, 3, 0, 0, 0]]
        for body in bad {
            #expect(throws: ContainersError.self) { try FLVVideoTag(parsing: ByteBuffer(bytes: body)) }
        }
        let badAudio: [[UInt8]] = [[], [0xAF], [0x2F, 1, 0], [0xAF, 2], [0x90] + Array("fLaC".utf8), [0x95] + Array("Opus".utf8), [0x90, 0x4F]]
        for body in badAudio {
            #expect(throws: ContainersError.self) { try FLVAudioTag(parsing: ByteBuffer(bytes: body)) }
        }
    }

    @Test func parsesEveryTagOfAnFFmpegFLV() throws {
        let tags = try readFLVFile(try Vectors.bytes("h264_aac.flv"))
        var keyFrames = 0, frames = 0, audioFrames = 0, negativeOrZeroCTS = 0
        for tag in tags where tag.type == 9 {
            if case .codedFrame(.avc, let type, let cts, _) = try FLVVideoTag(parsing: tag.body) {
                frames += 1
                if type == .key { keyFrames += 1 }
                if cts <= 0 { negativeOrZeroCTS += 1 }
            }
        }
        for tag in tags where tag.type == 8 {
            if case .codedFrame(.aac, _) = try FLVAudioTag(parsing: tag.body) { audioFrames += 1 }
        }
        #expect(frames == 60)
        #expect(keyFrames == 2)
        #expect(audioFrames == 88)
        #expect(negativeOrZeroCTS < frames)  // B-frames: composition offsets are in use
    }
}
