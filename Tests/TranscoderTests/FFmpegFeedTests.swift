import Foundation
import MediaCore
import NIOCore
import NIOPosix
import Testing
@testable import Transcoder

/// What the transcoder and every restream push share on their way into FFmpeg: a process that
/// stops reading gets its input refused once its backlog is full, and then nothing but the next
/// video key frame is written, so that FFmpeg never decodes a frame whose references it lost.
@Suite struct FFmpegFeedTests {
    /// The avcC of a real 640x360 High-profile stream (Tests/ContainersTests/Vectors/h264_aac.flv).
    static let avcC: [UInt8] = Array(hex: "0164001effe1001a6764001eacd940a02ff970110000030001000003003c0f162d9601000468efbcb0fdf8f800")

    static func frame(_ index: Int, sync: Bool, bytes: Int = 1 << 20) -> Sample {
        var data = ByteBuffer()
        data.writeInteger(UInt32(bytes - 4))
        data.writeInteger(UInt8(sync ? 0x65 : 0x41))
        data.writeRepeatingByte(0x88, count: bytes - 5)
        return Sample(dts: Int64(index) * 3_000, isSync: sync, data: data)
    }

    @Test func aRefusalDropsInputUpToTheNextKeyFrame() async throws {
        let track = TrackInfo(codec: .h264, timescale: 90_000, decoderConfig: Self.avcC, codecString: "avc1.64001e",
                              video: VideoParameters(width: 640, height: 360))
        var feed = try FFmpegFeed(tracks: [track], timestampOffset: 0)
        // A child that reads nothing until the test lets it (a file appears, or 30 s pass), then
        // everything.
        let go = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: go) }
        let process = try await FFmpegProcess.launch(
            executable: "/bin/sh",
            arguments: ["-c", "i=0; while [ ! -e '\(go)' ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; cat > /dev/null"],
            group: MultiThreadedEventLoopGroup.singleton, output: { _ in }, errorLine: { _ in })
        var index = 0
        var outcome = FFmpegFeed.Outcome.written
        while case .written = outcome, index < 64 {
            outcome = feed.write(Self.frame(index, sync: index == 0), track: 0, isVideo: true, to: process)
            index += 1
        }
        guard case .refused = outcome else {
            Issue.record("64 MB written to a child that reads nothing: \(outcome)")
            return
        }
        // Until the next key frame, even with room again, nothing is written.
        guard case .skipped = feed.write(Self.frame(index, sync: false, bytes: 100), track: 0, isVideo: true, to: process) else {
            Issue.record("a frame after a refusal was not skipped")
            return
        }
        // Once the child reads, the next key frame goes through, and what follows it.
        #expect(FileManager.default.createFile(atPath: go, contents: nil))
        let deadline = ContinuousClock.now + .seconds(20)
        var resumed = false
        while !resumed, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            index += 1
            if case .written = feed.write(Self.frame(index, sync: true, bytes: 100), track: 0, isVideo: true, to: process) { resumed = true }
        }
        #expect(resumed, "no key frame was written once the child read its input")
        guard case .written = feed.write(Self.frame(index + 1, sync: false, bytes: 100), track: 0, isVideo: true, to: process) else {
            Issue.record("the frame after the key frame was not written")
            return
        }
        _ = await process.stop(grace: .seconds(2))
    }
}

extension Array where Element == UInt8 {
    init(hex: String) {
        let digits = Array(hex.utf8)
        self = stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }
}
