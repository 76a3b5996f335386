import HTTPTypes
import Hummingbird
import NIOCore
import Packager

/// `/player/{module}.js`: the embeddable player's ES modules (``PlayerAssets``). Any site may
/// import them (a module script from another origin needs CORS). `POST /player/beacon`: the
/// players' quality reports (``ViewerReport``), counted in ``ViewerReports``.
struct PlayerRoutes: Sendable {
    let packagers: any LiveWindowDirectory
    let viewers: ViewerReports

    /// Module names are not versioned: a cache keeps them for five minutes, then revalidates with
    /// the ETag, so a new server version reaches viewers within minutes.
    static let cache = "public, max-age=300"

    func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("player/:file") { request, context in
            let name = try context.parameters.require("file")
            guard let asset = PlayerAssets.files[name] else { return Responses.notFound() }
            return asset.response(
                to: request,
                headers: [.contentType: PlayerAssets.contentType, .cacheControl: Self.cache, .accessControlAllowOrigin: "*"]
            )
        }
        router.post("player/beacon") { request, _ in try await beacon(request) }
    }

    /// 204 once counted, or for a channel this server does not have (a stale page: nothing to
    /// count it under); 400 with the reason for a report that does not read; 413 beyond
    /// ``ViewerReport/maximumBytes``. Any site's player may report (CORS).
    func beacon(_ request: Request) async throws -> Response {
        let cors: HTTPFields = [.accessControlAllowOrigin: "*", .cacheControl: CachePolicy.error]
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > ViewerReport.maximumBytes {
            return Self.tooLarge()
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: ViewerReport.maximumBytes)
        } catch is NIOTooManyBytesError {
            return Self.tooLarge()
        }
        do throws(ViewerReport.Failure) {
            let report = try ViewerReport(json: body.readableBytesView)
            if packagers.channel(named: report.channel) != nil { viewers.record(report) }
            return Response(status: .noContent, headers: cors)
        } catch {
            var response = Responses.text(.badRequest, "bad report: \(error.description)")
            response.headers[.accessControlAllowOrigin] = "*"
            return response
        }
    }

    static func tooLarge() -> Response {
        var response = Responses.text(.contentTooLarge, "a report is at most \(ViewerReport.maximumBytes) bytes")
        response.headers[.accessControlAllowOrigin] = "*"
        return response
    }
}
