import AsyncHTTPClient
import Delivery
import NIOCore

/// Asks key servers for content keys over HTTP (``ContentKeyServer``, README "Encryption"): one
/// `GET` per key, no redirects, answered within ``timeout``.
struct HTTPContentKeyServer: ContentKeyServer {
    /// A key server answers from memory or a database lookup; a segment lasts 2 s, and a key that
    /// has not come within one is better asked again later than waited for.
    static let timeout: TimeAmount = .seconds(2)

    func key(server: String, channel: String, period: Int) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: ContentKeyServerContract.url(server: server, channel: channel, period: period))
        request.headers.add(name: "Accept", value: "application/octet-stream, application/json")
        request.headers.add(name: "User-Agent", value: "Antenne-Keys/1")
        let response = try await HTTPClient.shared.execute(request, timeout: Self.timeout)
        guard response.status == .ok else { throw ContentKeyFetchError.status(Int(response.status.code)) }
        let body = try await response.body.collect(upTo: ContentKeyServerContract.maximumAnswerBytes)
        let bytes = Array(body.readableBytesView)
        guard let key = ContentKeyServerContract.parseKey(bytes) else { throw ContentKeyFetchError.notAKey(bytes: bytes.count) }
        return key
    }
}
