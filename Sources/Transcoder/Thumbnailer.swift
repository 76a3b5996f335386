import NIOConcurrencyHelpers
import NIOCore

/// Renders a JPEG of the first frame of a CMAF fragment with a short-lived FFmpeg.
public struct Thumbnailer: Sendable {
    public let ffmpeg: String
    public let group: any EventLoopGroup
    /// Height of the picture; the width follows the aspect ratio.
    public let height: Int

    /// A JPEG of a 360p frame is 20-60 KB; anything bigger than this is not a thumbnail.
    static let maximumSize = 4 * 1024 * 1024

    public init(ffmpeg: String = "/usr/bin/ffmpeg", group: any EventLoopGroup, height: Int = 360) {
        self.ffmpeg = ffmpeg
        self.group = group
        self.height = height
    }

    /// - Parameters:
    ///   - initSegment: the rendition's `init.mp4`.
    ///   - media: a part or segment that starts with a key frame.
    public func jpeg(initSegment: ByteBuffer, media: ByteBuffer) async throws(TranscoderError) -> ByteBuffer {
        let output = NIOLockedValueBox((data: ByteBuffer(), overflow: false))
        let errors = NIOLockedValueBox([String]())
        let process: FFmpegProcess
        do {
            process = try await FFmpegProcess.launch(
                executable: ffmpeg,
                arguments: [
                    "-hide_banner", "-nostdin", "-loglevel", "error", "-threads", "1",
                    "-f", "mp4", "-i", "pipe:0",
                    "-frames:v", "1", "-vf", "scale=-2:\(height)",
                    "-c:v", "mjpeg", "-q:v", "5", "-f", "image2pipe", "pipe:1",
                ],
                group: group,
                output: { chunk in
                    output.withLockedValue { out in
                        var chunk = chunk
                        if out.data.readableBytes + chunk.readableBytes > Self.maximumSize { out.overflow = true } else { out.data.writeBuffer(&chunk) }
                    }
                },
                errorLine: { line in errors.withLockedValue { if $0.count < 8 { $0.append(String(line)) } } }
            )
        } catch {
            throw .launchFailed("\(error)")
        }
        var input = initSegment
        var fragment = media
        input.writeBuffer(&fragment)
        _ = process.write(input)
        let status = await process.stop(grace: .seconds(5)).status
        await process.waitForOutputEnd()
        let result = output.withLockedValue { $0 }
        guard status == 0, !result.overflow, result.data.readableBytes > 0 else {
            throw .thumbnailFailed(status: status, message: errors.withLockedValue { $0.joined(separator: " / ") })
        }
        return result.data
    }
}
