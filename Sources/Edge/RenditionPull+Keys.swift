import Delivery
import Manifests

/// Encrypted channels (HLS AES-128, RFC 8216bis §5.2): the edge serves its origin's encrypted
/// bytes as they come and lists them with the origin's `EXT-X-KEY` lines. Those lines follow from
/// one number, the channel's rotation (``ContentEncryption``: period `msn / N` at
/// `../keys/{period}`, IV the period's first media sequence number), which the pull reads off the
/// origin's keys; the edge's playlists then render them by the origin's own rules.
extension RenditionPull {
    /// The channel's encryption as `listed` shows it: nil when no segment has a key (the channel
    /// is clear), else the rotation whose keys are exactly the ones listed. `known`: what the
    /// channel's playlists showed before.
    static func encryption(of listed: [Listed], known: ContentEncryption?, rendition: String) throws(EdgeError) -> ContentEncryption? {
        // Without their query: a token channel's key URIs carry the edge's own token.
        let keyed = listed.compactMap { entry in
            entry.key.map { key in (msn: entry.msn, key: MediaPlaylist.Key(method: key.method, uri: fileName(key.uri), iv: key.iv)) }
        }
        guard let newest = keyed.last?.msn else { return nil }
        var rotation: Int?
        for (_, key) in keyed {
            let (period, first) = try periodAndFirstMSN(key, rendition: rendition)
            if period > 0 {
                guard first % period == 0 else { throw .unusable(url: rendition, reason: "key \(key.uri) has IV \(first), not a period's start") }
                rotation = first / period
                break
            }
        }
        // Only period 0 listed: every rotation longer than the newest number lists the same keys.
        let segments = rotation ?? known.map(\.rotationSegments).flatMap { $0 > newest ? $0 : nil } ?? newest + 1
        guard ContentEncryption.rotationRange.contains(segments) else {
            throw .unusable(url: rendition, reason: "the keys rotate every \(segments) segments")
        }
        let encryption = ContentEncryption(rotationSegments: segments, scheme: keyed[0].key.method == .sampleAES ? .cbcs : .aes128)
        for (msn, key) in keyed where encryption.playlistKey(msn: msn) != key {
            throw .unusable(url: rendition, reason: "segment \(msn) has key \(key.uri), not its period's under one rotation")
        }
        return encryption
    }

    /// Digits of a key period: at most 15, as the media sequence numbers in an origin's file names.
    static let periodDigits = 15

    /// The period of a key URI (`../keys/{period}`) and the first media sequence number its IV
    /// names (a 128-bit integer whose high 64 bits are zero).
    private static func periodAndFirstMSN(_ key: MediaPlaylist.Key, rendition: String) throws(EdgeError) -> (Int, Int) {
        let prefix = "../keys/"
        let digits = key.uri.dropFirst(prefix.count)
        guard key.uri.hasPrefix(prefix), (1...Self.periodDigits).contains(digits.count),
              digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let period = Int(digits) else {
            throw .unusable(url: rendition, reason: "key URI \(key.uri) is not ../keys/{period}")
        }
        guard key.iv.count == 16, key.iv.prefix(8).allSatisfy({ $0 == 0 }) else {
            throw .unusable(url: rendition, reason: "key \(key.uri) has an IV beyond 64 bits")
        }
        let first = key.iv.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard first <= UInt64(Int.max) else { throw .unusable(url: rendition, reason: "key \(key.uri) has an IV beyond 64 bits") }
        return (period, Int(first))
    }
}
