import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension P2PTracker {
    /// `GET /p2p/{channel}/{rendition}/digests.json`: `{"objects":{"41.m4s":"<sha-256 hex>",…}}`.
    public func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("p2p/:channel/:rendition/digests.json") { request, context in
            digestsResponse(
                channel: context.parameters.get("channel") ?? "", rendition: context.parameters.get("rendition") ?? "",
                token: request.uri.queryParameters.get("token"))
        }
    }

    func digestsResponse(channel: String, rendition: String, token: String?) -> Response {
        guard let swarm = admitted(channel: channel, rendition: rendition, token: token) else {
            return Response(status: .notFound, headers: [.accessControlAllowOrigin: "*"])
        }
        let objects = digests.digests(channel: swarm.key.channel, rendition: swarm.rendition)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = (try? encoder.encode(["objects": objects])) ?? Data()
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json",
                // New objects come every part: never kept; a token channel's answer is the viewer's own.
                .cacheControl: token == nil ? "no-cache" : "private, no-cache",
                .accessControlAllowOrigin: "*",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
