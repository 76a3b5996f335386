/// A sub-range of a resource: `<length>[@<offset>]` (RFC 8216bis §4.4.4.2, and the `BYTERANGE`
/// attribute of `EXT-X-MAP` §4.4.4.5 and `EXT-X-PART` §4.4.4.9). Without an offset the range
/// starts right after the previous range of the same resource.
public struct ByteRange: Sendable, Hashable {
    public var length: Int64
    public var offset: Int64?

    public init(length: Int64, offset: Int64? = nil) {
        self.length = length
        self.offset = offset
    }

    /// `1000@200`, or `1000` without an offset.
    public var rendered: String {
        offset.map { "\(length)@\($0)" } ?? "\(length)"
    }

    /// Parses the `<n>[@<o>]` syntax; nil on anything else.
    public static func parse(_ text: Substring) -> ByteRange? {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        guard let length = DecimalSeconds.decimalDigits(parts[0]) else { return nil }
        guard parts.count == 2 else { return ByteRange(length: length) }
        guard let offset = DecimalSeconds.decimalDigits(parts[1]) else { return nil }
        return ByteRange(length: length, offset: offset)
    }
}
