import HTTPTypes
import Hummingbird
import NIOCore
import Packager

/// `/watch`, `/watch/channels.json`, `/watch/{channel}`, the embed `/embed/{channel}`, the
/// player's modules and quality reports under `/player/`, `/healthz` and `/readyz`.
public struct PageRoutes: Sendable {
    let packagers: any LiveWindowDirectory
    /// Which channels the lineup may list (public ones only).
    let access: PlaybackAccess
    let isReady: @Sendable () -> Bool
    /// Where the players' quality reports are counted.
    let viewers: ViewerReports

    /// The lineup changes when a channel starts or stops: a cache may keep it a couple of seconds.
    static let lineupCache = "public, max-age=2"

    public init(
        packagers: any LiveWindowDirectory, access: PlaybackAccess = .open, viewers: ViewerReports = ViewerReports(),
        isReady: @escaping @Sendable () -> Bool
    ) {
        self.packagers = packagers
        self.access = access
        self.viewers = viewers
        self.isReady = isReady
    }

    public func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("watch") { _, _ in Self.html(WatchPage.lineupHTML()) }
        router.get("watch/channels.json") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json", .cacheControl: Self.lineupCache, .accessControlAllowOrigin: "*"],
                body: ResponseBody(byteBuffer: try Lineup(packagers: packagers, access: access).json())
            )
        }
        router.get("watch/:channel") { _, context in
            let channel = try context.parameters.require("channel")
            guard packagers.channel(named: channel) != nil else { return Responses.notFound("unknown channel") }
            return Self.html(WatchPage.html(channel: channel))
        }
        router.get("embed/:channel") { request, context in
            let channel = try context.parameters.require("channel")
            guard packagers.channel(named: channel) != nil else { return Responses.notFound("unknown channel") }
            let query = request.uri.queryParameters
            do throws(EmbedBranding.Failure) {
                let branding = try EmbedBranding { query[Substring($0)].map(String.init) }
                return Self.html(EmbedPage.html(channel: channel, branding: branding))
            } catch {
                return Responses.text(.badRequest, error.description)
            }
        }
        PlayerRoutes(packagers: packagers, viewers: viewers).add(to: router)
        router.get("healthz") { _, _ in Responses.text(.ok, "ok", cache: CachePolicy.perRequest) }
        router.get("readyz") { _, _ in
            isReady() ? Responses.text(.ok, "ready", cache: CachePolicy.perRequest)
                : Responses.text(.serviceUnavailable, "starting", cache: CachePolicy.perRequest)
        }
    }

    static func html(_ page: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: Responses.html, .cacheControl: CachePolicy.page],
            body: ResponseBody(byteBuffer: ByteBuffer(string: page))
        )
    }
}
