import HTTPTypes
import Hummingbird
import NIOCore
import Packager

/// `/watch/{channel}`, `/healthz` and `/readyz`.
public struct PageRoutes: Sendable {
    let packagers: any LiveWindowDirectory
    let isReady: @Sendable () -> Bool

    public init(packagers: any LiveWindowDirectory, isReady: @escaping @Sendable () -> Bool) {
        self.packagers = packagers
        self.isReady = isReady
    }

    public func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("watch/:channel") { _, context in
            let channel = try context.parameters.require("channel")
            guard packagers.channel(named: channel) != nil else { return Responses.notFound("unknown channel") }
            return Response(
                status: .ok,
                headers: [.contentType: Responses.html, .cacheControl: CachePolicy.page],
                body: ResponseBody(byteBuffer: ByteBuffer(string: WatchPage.html(channel: channel)))
            )
        }
        router.get("healthz") { _, _ in Responses.text(.ok, "ok", cache: CachePolicy.blocking) }
        router.get("readyz") { _, _ in
            isReady() ? Responses.text(.ok, "ready", cache: CachePolicy.blocking)
                : Responses.text(.serviceUnavailable, "starting", cache: CachePolicy.blocking)
        }
    }
}
