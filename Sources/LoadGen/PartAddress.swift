import NIOCore

/// A part of a media playlist: `{msn}.{part}.m4s` (Antenne's part URIs).
struct PartAddress: Hashable, Sendable {
    var msn: Int
    var part: Int
}

extension PartAddress {
    private static let hintTag = Array(#"#EXT-X-PRELOAD-HINT:TYPE=PART,URI=""#.utf8)

    /// The part named by the playlist's `EXT-X-PRELOAD-HINT` of `TYPE=PART` (RFC 8216bis
    /// §4.4.5.3), when its URI is `{msn}.{part}.m4s` as Antenne renders it; nil otherwise.
    init?(preloadHintIn playlist: ByteBuffer) {
        let found: PartAddress? = playlist.withUnsafeReadableBytes { bytes in
            let tag = Self.hintTag
            guard bytes.count > tag.count else { return nil }
            var start = 0
            while start + tag.count <= bytes.count {
                if bytes[start] == tag[0], zip(tag.indices, start...).allSatisfy({ tag[$0] == bytes[$1] }) {
                    return Self.parse(bytes, from: start + tag.count)
                }
                start += 1
            }
            return nil
        }
        guard let found else { return nil }
        self = found
    }

    /// `{msn}.{part}.m4s"` at `index`.
    private static func parse(_ bytes: UnsafeRawBufferPointer, from index: Int) -> PartAddress? {
        var index = index
        func number() -> Int? {
            var value = 0
            let first = index
            // 18 digits stay well inside Int64; a longer "number" is not one of ours.
            while index < bytes.count, index - first < 18, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            return index > first ? value : nil
        }
        guard let msn = number(), index < bytes.count, bytes[index] == UInt8(ascii: ".") else { return nil }
        index += 1
        guard let part = number() else { return nil }
        let suffix = Array(#".m4s""#.utf8)
        guard index + suffix.count <= bytes.count, suffix.indices.allSatisfy({ bytes[index + $0] == suffix[$0] }) else { return nil }
        return PartAddress(msn: msn, part: part)
    }
}
