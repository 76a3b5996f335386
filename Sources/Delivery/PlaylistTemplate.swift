import NIOCore

/// A rendered playlist with a hole where each URI's token goes: the playlist model renders every
/// URI's query with ``hole`` for the token (`URIQuery`), and the text is kept cut at the holes. A
/// viewer's playlist is the pieces joined by the viewer's token: one rendering per live window,
/// shared by the viewers of a token channel as by those of a public one.
struct PlaylistTemplate: Sendable {
    /// The text between holes, in order: one piece more than there are holes.
    let pieces: [ByteBuffer]
    /// The rendering's hash (``EntityTag``), made once with it: each viewer's tag follows from it.
    let hash: UInt64

    /// Stands for the token in the rendering. A control character: nothing else a playlist holds
    /// contains one (names, URIs and attribute values are printable), and a verified token is
    /// base64url.
    static let hole = "\u{1}"

    init(rendering: String) {
        hash = EntityTag.hash(rendering.utf8)
        pieces = rendering.utf8.split(separator: UInt8(ascii: "\u{1}"), omittingEmptySubsequences: false).map { ByteBuffer(bytes: $0) }
    }

    /// The entity tag of the playlist filled with `token`: the rendering's, and the token's after it.
    func etag(filledWith token: String?) -> String {
        guard let token, pieces.count > 1 else { return EntityTag.tag(hash) }
        return EntityTag.tag(EntityTag.hash(token.utf8, seed: hash))
    }

    /// The playlist with `token` in every hole; without a token, the text as rendered (which has
    /// no holes).
    func filled(with token: String?) -> ByteBuffer {
        guard let token, pieces.count > 1 else { return pieces[0] }
        var out = ByteBuffer()
        out.reserveCapacity(pieces.reduce(0) { $0 + $1.readableBytes } + (pieces.count - 1) * token.utf8.count)
        for (index, piece) in pieces.enumerated() {
            if index > 0 { out.writeString(token) }
            out.writeImmutableBuffer(piece)
        }
        return out
    }
}
