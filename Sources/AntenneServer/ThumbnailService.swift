import Logging
import Packager
import ServiceLifecycle
import Transcoder

/// Keeps live channels' `thumbnail.jpg` fresh: a JPEG of the newest complete segment's first
/// frame, from the rendition nearest 360p. One is rendered as soon as a channel goes live (the
/// player's poster); after that, every few seconds while someone asks for it. Each costs an
/// FFmpeg run (~0.1 s of CPU), so a channel nobody looks at costs nothing.
struct ThumbnailService: Service {
    let packagers: PackagerRegistry
    let thumbnailer: Thumbnailer
    let logger: Logger
    var interval: Duration = .seconds(4)
    /// A thumbnail asked for within this long is kept fresh.
    var demand: Int64 = 60_000
    let now: @Sendable () -> Int64
    /// Milliseconds before a channel whose thumbnail failed is tried again.
    static let retryAfterFailure: Int64 = 30_000

    func run() async throws {
        var rendered: [String: (rendition: String, msn: Int)] = [:]
        /// Channels whose last attempt failed, and when to try again.
        var failing: [String: Int64] = [:]
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            for packager in packagers.all where packager.isLive {
                let wanted = packager.thumbnailRequestedAt.map { now() - $0 < demand } ?? false
                guard wanted || packager.thumbnail == nil else { continue }
                if let retry = failing[packager.name], now() < retry { continue }
                guard let rendition = packager.thumbnailSource(height: thumbnailer.height), let snapshot = rendition.snapshot(),
                      let segment = snapshot.segments.last(where: { $0.isComplete && !$0.gap }),
                      let media = segment.parts.first?.data ?? segment.data,
                      let initSegment = rendition.initSegment(index: segment.mapIndex) else { continue }
                if let done = rendered[packager.name], done == (rendition.name, segment.msn) { continue }
                do {
                    packager.thumbnail = try await thumbnailer.jpeg(initSegment: initSegment, media: media)
                    rendered[packager.name] = (rendition.name, segment.msn)
                    failing[packager.name] = nil
                } catch {
                    // One line when thumbnails start failing, and a slower retry meanwhile.
                    if failing[packager.name] == nil { logger.warning("channel \(packager.name): no thumbnail: \(error)") }
                    failing[packager.name] = now() + Self.retryAfterFailure
                }
            }
            try? await Task.sleep(for: interval)
        }
    }
}
