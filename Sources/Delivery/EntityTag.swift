import NIOCore

/// Entity tags of playback answers (RFC 9110 §8.8.3), so that a CDN revalidates an expired
/// playlist with `If-None-Match` and is answered `304` when nothing changed (§13.1.2), and
/// answers its own viewers' conditional requests from its cache.
///
/// A tag is a 64-bit FNV-1a hash, written in hex between quotes: fast enough for every answer it
/// is computed for, and a tag only has to tell versions of one URL apart.
enum EntityTag {
    /// FNV-1a's 64-bit offset basis and prime (Fowler, Noll, Vo: draft-eastlake-fnv §5).
    static let basis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// How much of a media answer its tag reads: a CMAF fragment's `moof` begins with its
    /// sequence number (`mfhd`) and its decode time (`tfdt`), ISO/IEC 14496-12 §8.8.5 and
    /// §8.8.12, within its first 128 bytes (`moof`, `mfhd`, `traf`, a `tfhd` of at most 40 bytes
    /// and `tfdt` add up to 100).
    static let mediaPrefix = 128

    /// The hash of `bytes`, continuing from `seed`.
    static func hash(_ bytes: some Sequence<UInt8>, seed: UInt64 = basis) -> UInt64 {
        var hash = seed
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* prime
        }
        return hash
    }

    /// A tag for `hash`.
    static func tag(_ hash: UInt64) -> String {
        let hex = String(hash, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }

    /// The tag of a whole text (a playlist rendered for one request).
    static func of(_ text: String) -> String { tag(hash(text.utf8)) }

    /// The tag of fMP4 media, read the way a file server tags a file (by its size and what tells
    /// its versions apart): its length and its first ``mediaPrefix`` bytes. A segment, part or
    /// init segment never changes once it exists (numbering never goes back: NUMBERING.md), so
    /// this costs the same small amount for a 60 KB part as for a 5 MB segment.
    static func ofMedia(_ buffers: [ByteBuffer]) -> String {
        let length = buffers.reduce(0) { $0 + $1.readableBytes }
        var hash = Self.hash(withUnsafeBytes(of: UInt64(length).littleEndian) { Array($0) })
        if let first = buffers.first {
            hash = Self.hash(first.readableBytesView.prefix(mediaPrefix), seed: hash)
        }
        return tag(hash)
    }

    /// Whether an `If-None-Match` list names `etag` (weak comparison, RFC 9110 §8.8.3.2) or is `*`.
    static func matches(_ list: String, _ etag: String) -> Bool {
        list.split(separator: ",").contains { item in
            let tag = item.filter { $0 != " " && $0 != "\t" }
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }
}
