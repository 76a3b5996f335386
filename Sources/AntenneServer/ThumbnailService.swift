import Logging
import Packager
import ServiceLifecycle
import Transcoder

/// Keeps every live channel's `thumbnail.jpg` fresh: every few seconds, a JPEG of the newest
/// complete segment's first frame in the channel's largest rendition.
struct ThumbnailService: Service {
    let packagers: PackagerRegistry
    let thumbnailer: Thumbnailer
    let logger: Logger
    var interval: Duration = .seconds(4)

    func run() async throws {
        var rendered: [String: (rendition: String, msn: Int)] = [:]
        var lastError: [String: String] = [:]
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            for packager in packagers.all where packager.isLive {
                guard let rendition = packager.thumbnailSource, let snapshot = rendition.snapshot(),
                      let segment = snapshot.segments.last(where: { $0.isComplete && !$0.gap }),
                      let media = segment.parts.first?.data ?? segment.data,
                      let initSegment = rendition.initSegment(index: segment.mapIndex) else { continue }
                if let done = rendered[packager.name], done == (rendition.name, segment.msn) { continue }
                do {
                    packager.thumbnail = try await thumbnailer.jpeg(initSegment: initSegment, media: media)
                    rendered[packager.name] = (rendition.name, segment.msn)
                    lastError[packager.name] = nil
                } catch {
                    // One line per distinct failure, not one every few seconds.
                    if lastError[packager.name] != error.description {
                        logger.warning("channel \(packager.name): no thumbnail: \(error)")
                        lastError[packager.name] = error.description
                    }
                }
            }
            try? await Task.sleep(for: interval)
        }
    }
}
