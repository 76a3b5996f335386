import Delivery
import NIOCore
import Packager

/// `thumbnail.jpg` of a pulled channel: the origin's, kept a few seconds.
struct EdgeThumbnails: ThumbnailSource {
    let limits: EdgeLimits

    /// How long a thumbnail is kept before the origin is asked again: the origin makes a new one
    /// about as often.
    static let maxAge: TimeAmount = .seconds(5)

    func thumbnail(of channel: any LiveChannelWindow) async -> ByteBuffer? {
        guard let channel = channel as? EdgeChannel else { return nil }
        return await channel.thumbnail(maxAge: Self.maxAge, limit: limits.thumbnailBytes)
    }
}
