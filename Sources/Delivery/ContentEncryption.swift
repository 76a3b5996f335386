import Manifests

/// How a channel's media is encrypted: under a content key that changes every
/// ``rotationSegments`` segments, with one of two schemes (``Scheme``):
///
/// - `aes-128`, for HLS (`METHOD=AES-128`, RFC 8216bis §5.2): each segment and each part whole,
///   with AES-128-CBC and PKCS#7 padding (what follows below).
/// - `cbcs`, common encryption (ISO/IEC 23001-7 §10.4) for HLS (`METHOD=SAMPLE-AES`) and DASH:
///   the samples inside the fragments, the init segments' sample entries protected
///   (``ContentEncryption+CommonEncryption``); players decrypt with EME.
///
/// A key period is a run of ``rotationSegments`` media sequence numbers: period `p` holds segments
/// `p × N` to `p × N + N - 1`. Media sequence numbers are the same on every identical origin
/// (docs/NUMBERING.md), and so are periods, keys and IVs: no state is shared between origins.
///
/// **Segments and parts.** RFC 8216bis gives an IV to each Media Segment (§5.2: the `IV`
/// attribute, or else the Media Sequence Number) and none of their own to Partial Segments
/// (§4.4.4.9), which the `EXT-X-KEY` in effect covers like the segment they belong to. Players
/// fetch a part and its segment as separate resources and decrypt each from its start: hls.js
/// hands each part to its decrypter with its parent fragment's key and IV, ExoPlayer gives each
/// `Part` its segment's IV. So every resource is encrypted on its own (its own CBC chain from the
/// IV, its own padding), and the IV is written in the tag, once per key period, so that it is the
/// same whichever object of the period a player asks for and however it counts parts: the
/// period's first media sequence number as a 128-bit big-endian integer (the IV §5.2 would give
/// that segment). Init segments stay clear: `EXT-X-MAP` is always written where no key is in
/// effect (§4.4.4.5).
public struct ContentEncryption: Sendable, Hashable {
    /// Segments per key period.
    public var rotationSegments: Int
    /// Where keys come from instead of the server's secret: `GET {keyServer}?channel=…&period=…`
    /// (``ContentKeys``). nil: derived from the content key secret.
    public var keyServer: String?
    public var scheme: Scheme

    /// The encryption schemes, by the names the API and the configuration file use.
    public enum Scheme: String, Sendable, Hashable, CaseIterable {
        /// Whole resources, AES-128-CBC (HLS only).
        case aes128 = "aes-128"
        /// Common encryption `cbcs` (HLS and DASH, EME).
        case cbcs
    }

    /// Rotation periods accepted: one segment (a new key every 2 s) to 100,000 segments (more
    /// than two days of 2 s segments; longer is as good as never).
    public static let rotationRange = 1...100_000

    public init(rotationSegments: Int, keyServer: String? = nil, scheme: Scheme = .aes128) {
        self.rotationSegments = rotationSegments
        self.keyServer = keyServer
        self.scheme = scheme
    }

    /// The key period of segment `msn`.
    public func period(ofMSN msn: Int) -> Int {
        msn / max(1, rotationSegments)
    }

    /// The IV of every segment and part of `period`: its first media sequence number, 16 bytes
    /// big-endian.
    public func iv(period: Int) -> [UInt8] {
        let first = UInt64(period) &* UInt64(max(1, rotationSegments))
        return [UInt8](repeating: 0, count: 8) + (0..<8).map { UInt8(truncatingIfNeeded: first >> (56 - 8 * $0)) }
    }

    /// The `EXT-X-KEY` of segment `msn`, in a media playlist at `hls/{channel}/{rendition}/`: the
    /// key is the channel's, at `hls/{channel}/keys/{period}`.
    public func playlistKey(msn: Int) -> MediaPlaylist.Key {
        let period = period(ofMSN: msn)
        return MediaPlaylist.Key(
            method: scheme == .cbcs ? .sampleAES : .aes128, uri: "../\(Self.keysDirectory)/\(period)", iv: iv(period: period))
    }

    /// The directory of a channel's keys, next to its renditions.
    static let keysDirectory = "keys"
}
