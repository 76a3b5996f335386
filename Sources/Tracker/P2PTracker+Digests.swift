import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension P2PTracker {
    /// `GET /p2p/{channel}/{rendition}/digests.json`: `{"objects":{"41.m4s":"<sha-256 hex>",…}}`,
    /// every segment and part of the window; with `?from=41`, those of segment 41 and after only,
    /// which is what a player checking a new object needs (a few hundred bytes, not the window's
    /// few kilobytes for every object taken from a peer).
    public func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("p2p/:channel/:rendition/digests.json") { request, context in
            let query = request.uri.queryParameters
            return digestsResponse(
                channel: context.parameters.get("channel") ?? "", rendition: context.parameters.get("rendition") ?? "",
                token: query.get("token"), from: query.get("from").flatMap { Int($0) })
        }
    }

    func digestsResponse(channel: String, rendition: String, token: String?, from: Int? = nil) -> Response {
        guard let swarm = admitted(channel: channel, rendition: rendition, token: token) else {
            return Response(status: .notFound, headers: [.accessControlAllowOrigin: "*"])
        }
        var objects = digests.digests(channel: swarm.key.channel, rendition: swarm.rendition)
        if let from {
            // Names are `{msn}.m4s` and `{msn}.{part}.m4s`.
            objects = objects.filter { name, _ in Int(name.prefix { $0 != "." }).map { $0 >= from } ?? false }
        }
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
