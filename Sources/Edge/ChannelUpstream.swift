import Delivery
import NIOConcurrencyHelpers
import NIOCore

/// One channel's way to its origins: `hls/{channel}/…` from the pool's current origin, with the
/// edge's own playback token once the origin asks for one (a `token` channel). The edge holds the
/// same keys as its origins, so it signs for itself what it verifies for its viewers.
final class ChannelUpstream: Sendable {
    let channel: String
    let pool: OriginPool
    private let signer: PlaybackSigner?
    private let now: @Sendable () -> Int64
    private let token = NIOLockedValueBox(false)
    private let learnedEncryption = NIOLockedValueBox<ContentEncryption?>(nil)
    /// The channel's markers as the origin's playlists list them (``RenditionPull``).
    let markers = EdgeMarkers()

    /// How long the edge's own tokens last: a minute, signed afresh for every request, so that a
    /// token copied off the wire is soon useless.
    static let tokenLifetime: Int64 = 60

    init(channel: String, pool: OriginPool, signer: PlaybackSigner?, now: @escaping @Sendable () -> Int64) {
        self.channel = channel
        self.pool = pool
        self.signer = signer
        self.now = now
    }

    /// The origin asked for a token: the channel is a `token` channel, and the edge verifies its
    /// viewers' tokens too.
    var needsToken: Bool { token.withLockedValue { $0 } }

    /// The channel's encryption as the origin's playlists last showed it (``RenditionPull``);
    /// nil: clear.
    var encryption: ContentEncryption? {
        get { learnedEncryption.withLockedValue { $0 } }
        set { learnedEncryption.withLockedValue { $0 = newValue } }
    }

    /// `hls/{channel}/{file}` from origin `index`. A 401 or 403 makes the channel a token channel
    /// and is asked again once, signed.
    func get(_ file: String, query: String? = nil, from index: Int, timeout: Duration, limit: Int) async throws(EdgeError) -> OriginPool.Answer {
        try await get(path: "/hls/\(channel)/\(file)", query: query, from: index, timeout: timeout, limit: limit)
    }

    /// Whether the origin has P2P on for the channel: it lists `rendition`'s digests
    /// (`/p2p/{channel}/{rendition}/digests.json`) only then.
    func p2p(rendition: String, timeout: Duration, limit: Int) async -> Bool {
        do {
            return try await get(path: "/p2p/\(channel)/\(rendition)/digests.json", from: pool.index, timeout: timeout, limit: limit).isOK
        } catch {
            // An origin that does not answer says nothing: P2P stays off, which is always safe.
            return false
        }
    }

    private func get(path: String, query: String? = nil, from index: Int, timeout: Duration, limit: Int) async throws(EdgeError) -> OriginPool.Answer {
        let signed = needsToken
        let answer = try await pool.get(path, query: try signedQuery(query, signed: signed), from: index, timeout: timeout, limit: limit)
        guard answer.status == 401 || answer.status == 403, !signed, signer != nil else { return answer }
        token.withLockedValue { $0 = true }
        return try await pool.get(path, query: try signedQuery(query, signed: true), from: index, timeout: timeout, limit: limit)
    }

    private func signedQuery(_ query: String?, signed: Bool) throws(EdgeError) -> String? {
        guard signed, let signer else { return query }
        let token: String
        do {
            token = try signer.sign(channel: channel, expiresAt: now() / 1_000 + Self.tokenLifetime)
        } catch {
            throw .unusable(url: channel, reason: "cannot sign a playback token: \(error)")
        }
        let parameter = "\(PlaybackAccess.queryName)=\(token)"
        return query.map { "\($0)&\(parameter)" } ?? parameter
    }
}
