import HTTPTypes
import Hummingbird

/// The back-office (ARCHITECTURE.md, Contracts: Back-office): `/admin` is its page and
/// `/admin/{file}` its styles and modules (``AdminAssets``). The page holds nothing secret: it
/// asks for an API token and talks to the control API with it (`/api/v1/`), which scopes every
/// answer to the token's organisation.
public struct AdminRoutes: Sendable {
    /// The page and modules change with the server version only: a cache revalidates them with
    /// their ETag every time, which costs a 304.
    static let cache = "no-cache"

    /// Only this server's own scripts, styles and API; the player's media from `blob:` URLs (Media
    /// Source Extensions); the thumbnails as images; and no framing (clickjacking, the page can
    /// revoke keys).
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; worker-src 'self' blob:; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"

    /// The page's address (with a channel's id in its fragment) is nobody else's business.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    public init() {}

    public func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("admin") { request, _ in Self.serve(AdminAssets.page, to: request) }
        router.get("admin/:file") { request, context in
            let name = try context.parameters.require("file")
            guard let file = AdminAssets.files[name] else {
                return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"])
            }
            return Self.serve(file, to: request)
        }
    }

    static func serve(_ file: AdminAssets.File, to request: Request) -> Response {
        file.asset.response(to: request, headers: [
            .contentType: file.contentType, .cacheControl: cache, .contentSecurityPolicy: contentSecurityPolicy,
            .xContentTypeOptions: "nosniff", Self.referrerPolicy: "no-referrer",
        ])
    }
}
