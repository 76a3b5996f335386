import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import Transcoder

/// `thumbnail.jpg` from a real key frame. Regression (issue 3): a fragment larger than the pipe
/// buffer was cut short when stdin closed before the pending write had gone through.
@Suite struct ThumbnailerTests {
    @Test func rendersAJPEGFromAFragmentLargerThanThePipe() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-thumb-\(UUID().uuidString).mp4")
        defer { try? FileManager.default.removeItem(at: file) }
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        make.arguments = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                          "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30,noise=alls=60:allf=t",
                          "-frames:v", "3", "-c:v", "libx264", "-crf", "8", "-g", "1",
                          "-movflags", "frag_keyframe+empty_moov", "-f", "mp4", file.path]
        try make.run()
        make.waitUntilExit()
        #expect(make.terminationStatus == 0)
        let bytes = try Data(contentsOf: file)
        #expect(bytes.count > 256 * 1024, "the fragment must exceed the 64 KiB pipe buffer")
        let thumbnailer = Thumbnailer(group: MultiThreadedEventLoopGroup.singleton)
        let jpeg = try await thumbnailer.jpeg(initSegment: ByteBuffer(bytes: bytes), media: ByteBuffer())
        #expect(jpeg.getBytes(at: jpeg.readerIndex, length: 3) == [0xFF, 0xD8, 0xFF])
    }
}
