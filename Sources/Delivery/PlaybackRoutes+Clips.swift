import Archive
import HTTPTypes
import NIOCore

/// `clips/{id}.mp4`: a finished clip, streamed from the archive in pieces, with byte ranges so
/// a `<video>` element can seek in it.
extension PlaybackRoutes {
    /// Bytes read from the store per piece.
    static let clipPiece = 4 * 1024 * 1024

    func clipFile(_ file: String, request: PlaybackRequest) -> PlaybackAnswer {
        guard file.utf8.count <= Self.maximumIDLength + 4, let archive else { return .now(.notFound()) }
        return .later {
            guard let clip = await catalog.clip(id: String(file.dropLast(4))) else { return .notFound("no such clip") }
            guard let key = clip.file else { return .notFound("the clip is not ready") }
            return await authorizedArchive(clip.range.channel, request) { _ in
                let size: Int64
                do throws(ArchiveError) {
                    guard let head = try await archive.read(key, from: 0, count: 1) else { return .notFound() }
                    size = head.size
                } catch {
                    return Self.archiveFailure(error)
                }
                let body = PlaybackBody.stream(length: Int(size)) { range, write in
                    var offset = Int64(range.lowerBound)
                    while offset < Int64(range.upperBound) {
                        let count = Int(min(Int64(Self.clipPiece), Int64(range.upperBound) - offset))
                        guard let piece = try await archive.read(key, from: offset, count: count), piece.data.readableBytes > 0 else {
                            throw ArchiveError.malformed("clip \(key) shrank while served")
                        }
                        offset += Int64(piece.data.readableBytes)
                        try await write(piece.data)
                    }
                }
                return .media(body, contentType: PlaybackResponse.mp4, cache: CachePolicy.immutable)
            }.response()
        }
    }
}
