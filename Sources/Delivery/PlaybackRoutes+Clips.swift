import Archive
import HTTPTypes
import Hummingbird
import NIOCore

/// `clips/{id}.mp4`: a finished clip, streamed from the archive in pieces, with byte ranges so
/// a `<video>` element can seek in it.
extension PlaybackRoutes {
    /// Bytes read from the store per piece.
    static let clipPiece = 4 * 1024 * 1024

    func clipFile(_ file: String, request: Request, context: some RequestContext) async -> Response {
        guard file.hasSuffix(".mp4"), file.utf8.count <= Self.maximumIDLength + 4, let archive else { return Responses.notFound() }
        guard let clip = await catalog.clip(id: String(file.dropLast(4))) else { return Responses.notFound("no such clip") }
        guard let key = clip.file else { return Responses.notFound("the clip is not ready") }
        return await authorizedArchive(clip.range.channel, request, context) { _ in
            let size: Int64
            do throws(ArchiveError) {
                guard let head = try await archive.read(key, from: 0, count: 1) else { return Responses.notFound() }
                size = head.size
            } catch {
                return Self.archiveFailure(error)
            }
            var headers: HTTPFields = [.contentType: Responses.mp4, .cacheControl: CachePolicy.immutable, .acceptRanges: "bytes"]
            var status = HTTPResponse.Status.ok
            var range = 0...(size - 1)
            switch RequestedRange.resolve(header: request.headers[.range], length: Int(size)) {
            case .whole:
                break
            case .partial(let asked):
                range = Int64(asked.lowerBound)...Int64(asked.upperBound)
                status = .partialContent
                headers[.contentRange] = "bytes \(asked.lowerBound)-\(asked.upperBound)/\(size)"
            case .unsatisfiable:
                headers[.contentRange] = "bytes */\(size)"
                headers[.cacheControl] = CachePolicy.error
                return Response(status: .rangeNotSatisfiable, headers: headers)
            }
            let bounds = range
            let body = ResponseBody(contentLength: Int(bounds.count)) { writer in
                var offset = bounds.lowerBound
                while offset <= bounds.upperBound {
                    let count = Int(min(Int64(Self.clipPiece), bounds.upperBound - offset + 1))
                    guard let piece = try await archive.read(key, from: offset, count: count), piece.data.readableBytes > 0 else {
                        throw ArchiveError.malformed("clip \(key) shrank while served")
                    }
                    offset += Int64(piece.data.readableBytes)
                    try await writer.write(piece.data)
                }
                try await writer.finish(nil)
            }
            return Response(status: status, headers: headers, body: body)
        }
    }
}
