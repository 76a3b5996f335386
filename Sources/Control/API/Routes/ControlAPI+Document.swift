import Hummingbird
import NIOCore

extension ControlAPI {
    /// `GET openapi.json`, without authentication: the document describes the API, not its data.
    var documentEndpoints: [APIEndpoint] {
        [
            APIEndpoint(.get, "openapi.json", .open) { _ in
                Response(
                    status: .ok,
                    headers: [.contentType: APIResponse.json, .cacheControl: "no-cache"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json))
                )
            },
        ]
    }
}
