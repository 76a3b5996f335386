import Delivery
import NIOCore

/// What the edge does not hold, its origins answer: DVR and start-over playlists, catch-up,
/// recordings, clips, archived segments and content keys, passed through as they come, the
/// viewer's token and all (the origin verifies it), never kept (a key's answer says
/// `private, no-store`). The next origin is asked when one fails.
struct OriginPassThrough: PlaybackUpstream {
    let pool: OriginPool
    let limits: EdgeLimits

    /// An archive read at the origin (a day's catch-up playlist, a clip's first bytes) may take
    /// this long.
    static let timeout: Duration = .seconds(30)

    func forward(_ request: PlaybackRequest) async -> PlaybackUpstreamResponse {
        let query = Self.query(request)
        for _ in pool.origins.indices {
            let index = pool.index
            do {
                let answer = try await pool.get(String(request.path), query: query, from: index, timeout: Self.timeout, limit: limits.forwardedBytes)
                guard answer.status < 500 else { throw EdgeError.status(url: String(request.path), code: answer.status) }
                return PlaybackUpstreamResponse(
                    status: .init(code: answer.status), contentType: answer.contentType, cacheControl: answer.cacheControl, body: answer.body)
            } catch {
                pool.failover(from: index, because: error as? EdgeError ?? .transport(url: String(request.path), reason: "\(error)"))
            }
        }
        return PlaybackUpstreamResponse(status: .badGateway, contentType: "text/plain; charset=utf-8", cacheControl: nil,
                                        body: ByteBuffer(string: "no origin answered"))
    }

    /// The request's query as it is sent upstream, nil when it has none.
    static func query(_ request: PlaybackRequest) -> String? {
        request.parameters.isEmpty ? nil : request.parameters.map { "\(escape($0.key))=\(escape($0.value))" }.joined(separator: "&")
    }

    /// Percent-encodes a query name or value: what is not unreserved (RFC 3986 §2.3).
    static func escape(_ text: Substring) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded
            }
        }
        return out
    }
}

extension String {
    fileprivate var leftPadded: String { count == 1 ? "0" + self : self }
}
