import Logging
import NIOCore
import Packager
import Transcoder

/// Renders live channels' `thumbnail.jpg` when it is asked for: a JPEG of the newest complete
/// segment's first frame, from the rendition nearest 360p.
///
/// The first request for a channel waits for its picture (one FFmpeg run, ~0.1 s of CPU). Later
/// requests get the last picture at once, and one older than ``refresh`` whose channel has a newer
/// segment starts the next render. So a picture is at most a few seconds old while someone looks at
/// it, and a channel nobody looks at costs nothing. Requests that arrive during a render share it.
public actor Thumbnails: ThumbnailSource {
    private let thumbnailer: Thumbnailer
    private let logger: Logger
    /// Wall clock, Unix epoch milliseconds.
    private let now: @Sendable () -> Int64
    /// Milliseconds before a picture is rendered again.
    let refresh: Int64 = 4_000
    /// Milliseconds before a channel whose render failed is tried again.
    static let retryAfterFailure: Int64 = 30_000

    private struct Entry {
        /// The packager the entry is for; a channel that is removed and added again starts over.
        weak var packager: (any LiveChannelWindow)?
        var jpeg: ByteBuffer?
        /// The segment the picture shows.
        var shows: Frame?
        var renderedAt: Int64 = 0
        var rendering: Task<Void, Never>?
        var retryAt: Int64?
    }

    /// A segment of a rendition.
    private struct Frame: Hashable {
        var rendition: String
        var msn: Int
    }

    private var entries: [String: Entry] = [:]

    public init(thumbnailer: Thumbnailer, logger: Logger, now: @escaping @Sendable () -> Int64) {
        self.thumbnailer = thumbnailer
        self.logger = logger
        self.now = now
    }

    public func thumbnail(of packager: any LiveChannelWindow) async -> ByteBuffer? {
        let name = packager.name
        var entry = entries[name].flatMap { $0.packager === packager ? $0 : nil } ?? Entry(packager: packager)
        if entry.rendering == nil, let render = nextRender(entry, packager: packager) {
            entry.rendering = render
            if entries[name] == nil { entries = entries.filter { $0.value.packager != nil } }
        }
        entries[name] = entry
        guard entry.jpeg == nil, let rendering = entry.rendering else { return entry.jpeg }
        await rendering.value
        return entries[name]?.jpeg
    }

    /// Starts a render if the picture is missing or old and the channel has something newer.
    private func nextRender(_ entry: Entry, packager: any LiveChannelWindow) -> Task<Void, Never>? {
        let now = now()
        if let retryAt = entry.retryAt, now < retryAt { return nil }
        guard entry.jpeg == nil || now - entry.renderedAt >= refresh, packager.isLive,
              let rendition = packager.thumbnailRendition(height: thumbnailer.height), let snapshot = rendition.snapshot(),
              let segment = snapshot.segments.last(where: { $0.isComplete && !$0.gap }),
              let media = segment.parts.first?.data ?? segment.data?.first,
              let initSegment = rendition.initSegment(index: segment.mapIndex) else { return nil }
        let frame = Frame(rendition: rendition.name, msn: segment.msn)
        guard frame != entry.shows else { return nil }
        return Task { [thumbnailer] in
            let result: Result<ByteBuffer, TranscoderError>
            do throws(TranscoderError) {
                result = .success(try await thumbnailer.jpeg(initSegment: initSegment, media: media))
            } catch {
                result = .failure(error)
            }
            self.finish(packager.name, frame: frame, result: result)
        }
    }

    private func finish(_ name: String, frame: Frame, result: Result<ByteBuffer, TranscoderError>) {
        guard var entry = entries[name] else { return }
        entry.rendering = nil
        switch result {
        case .success(let jpeg):
            entry.jpeg = jpeg
            entry.shows = frame
            entry.renderedAt = now()
            entry.retryAt = nil
        case .failure(let error):
            // One line when thumbnails start failing, and a slower retry meanwhile.
            if entry.retryAt == nil { logger.warning("channel \(name): no thumbnail: \(error)") }
            entry.retryAt = now() + Self.retryAfterFailure
        }
        entries[name] = entry
    }
}
