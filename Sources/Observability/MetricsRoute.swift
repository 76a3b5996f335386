import Hummingbird
import NIOCore

extension MetricsExposition {
    /// Serves ``render()`` at `GET /metrics`.
    public func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: self.render()))
            )
        }
    }
}
