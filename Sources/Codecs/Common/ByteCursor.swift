/// A bounds-checked big-endian reader over bytes, for the byte-aligned records of ISO/IEC 14496-15
/// and friends. Every read names the structure so a short input reports where it ended.
struct ByteCursor {
    let bytes: [UInt8]
    private(set) var offset: Int
    let what: String

    init(_ bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.offset = 0
        self.what = what
    }

    init<C: Collection>(_ bytes: C, what: String) where C.Element == UInt8 {
        self.init(Array(bytes), what: what)
    }

    var remaining: Int { bytes.count - offset }

    mutating func require(_ count: Int) throws(CodecsError) {
        guard count >= 0, remaining >= count else {
            throw .truncated(what: what, needed: offset + max(count, 0), available: bytes.count)
        }
    }

    mutating func u8() throws(CodecsError) -> UInt8 {
        try require(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws(CodecsError) -> UInt16 {
        try require(2)
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func u24() throws(CodecsError) -> UInt32 {
        try require(3)
        defer { offset += 3 }
        return UInt32(bytes[offset]) << 16 | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2])
    }

    mutating func u32() throws(CodecsError) -> UInt32 {
        try require(4)
        defer { offset += 4 }
        return (0..<4).reduce(0) { $0 << 8 | UInt32(bytes[offset + $1]) }
    }

    mutating func take(_ count: Int) throws(CodecsError) -> [UInt8] {
        try require(count)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func rest() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }
}

extension Array where Element == UInt8 {
    mutating func appendU16(_ v: UInt16) { append(UInt8(v >> 8)); append(UInt8(truncatingIfNeeded: v)) }
    mutating func appendU24(_ v: UInt32) { for s in [16, 8, 0] { append(UInt8(truncatingIfNeeded: v >> UInt32(s))) } }
    mutating func appendU32(_ v: UInt32) { for s in [24, 16, 8, 0] { append(UInt8(truncatingIfNeeded: v >> UInt32(s))) } }
}

/// Lowercase hexadecimal with a fixed number of digits, for RFC 6381 codec strings.
func hex(_ value: UInt32, digits: Int) -> String {
    let s = String(value, radix: 16)
    return String(repeating: "0", count: Swift.max(0, digits - s.count)) + s
}
