import HTTPTypes
import Hummingbird
import NIOCore

/// `/player/{module}.js`: the embeddable player's ES modules (``PlayerAssets``). Any site may
/// import them (a module script from another origin needs CORS).
struct PlayerRoutes: Sendable {
    /// Module names are not versioned: a cache keeps them for five minutes, then revalidates with
    /// the ETag, so a new server version reaches viewers within minutes.
    static let cache = "public, max-age=300"

    func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("player/:file") { request, context in
            let name = try context.parameters.require("file")
            guard let asset = PlayerAssets.files[name] else { return Responses.notFound() }
            var headers: HTTPFields = [
                .contentType: PlayerAssets.contentType, .cacheControl: Self.cache, .eTag: asset.etag,
                .accessControlAllowOrigin: "*",
            ]
            // RFC 9110 §13.1.2: a matching validator is answered 304 without the body.
            if let tags = request.headers[.ifNoneMatch], Self.matches(tags, asset.etag) {
                headers[.contentType] = nil
                return Response(status: .notModified, headers: headers)
            }
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: asset.body))
        }
    }

    /// Whether an If-None-Match list names `etag` (weak comparison, §8.8.3.2) or is `*`.
    static func matches(_ list: String, _ etag: String) -> Bool {
        list.split(separator: ",").contains { item in
            let tag = item.filter { $0 != " " && $0 != "\t" }
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }
}
