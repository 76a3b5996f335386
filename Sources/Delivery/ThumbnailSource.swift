import NIOCore
import Packager

/// Makes `thumbnail.jpg`: a recent key frame of a live channel as JPEG, the player's poster and the
/// back-office's preview. Rendering one costs an FFmpeg run, so a source renders when asked.
public protocol ThumbnailSource: Sendable {
    /// A recent picture of the channel, or nil while none can be made.
    func thumbnail(of channel: any LiveChannelWindow) async -> ByteBuffer?
}

/// Serves no thumbnail: `thumbnail.jpg` is a 404.
public struct NoThumbnails: ThumbnailSource {
    public init() {}

    public func thumbnail(of channel: any LiveChannelWindow) async -> ByteBuffer? { nil }
}
