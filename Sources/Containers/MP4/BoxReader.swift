import NIOCore

/// The header of one box (ISO/IEC 14496-12 §4.2): its type and where its body lies, as absolute
/// indices into the buffer being read.
struct BoxHeader {
    var type: UInt32
    /// Index of the first header byte.
    var start: Int
    /// Index of the first body byte (after `size`, `type` and any `largesize`).
    var bodyStart: Int
    /// Index one past the last byte of the box.
    var end: Int

    var typeName: String { fourCCName(type) }
}

/// The four-character code `code` as a big-endian integer (§4.2: `unsigned int(32) type`).
func fourCC(_ code: StaticString) -> UInt32 {
    precondition(code.utf8CodeUnitCount == 4, "four-character code")
    return code.withUTF8Buffer { $0.reduce(0) { $0 << 8 | UInt32($1) } }
}

/// Printable form of a four-character code, for error messages.
func fourCCName(_ code: UInt32) -> String {
    let bytes = [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: code >> UInt32($0)) }
    return bytes.allSatisfy { (0x20...0x7E).contains($0) } ? String(decoding: bytes, as: UTF8.self) : "0x" + String(code, radix: 16)
}

/// Reads the boxes inside `[position, end)` of a buffer one by one and the fields of a box body.
///
/// Every read is checked against `end`, which is checked against the buffer, so lengths taken
/// from the input can never index outside it.
struct BoxReader {
    let buffer: ByteBuffer
    var position: Int
    let end: Int
    /// Nesting depth of the boxes this reader walks; children get `depth + 1`.
    let depth: Int

    /// A reader over the readable bytes of `buffer`, at depth 0.
    init(_ buffer: ByteBuffer) {
        self.buffer = buffer
        position = buffer.readerIndex
        end = buffer.writerIndex
        depth = 0
    }

    private init(buffer: ByteBuffer, position: Int, end: Int, depth: Int) {
        self.buffer = buffer
        self.position = position
        self.end = end
        self.depth = depth
    }

    var remaining: Int { end - position }

    /// A reader over the children of `box`, starting `skip` bytes into its body (a FullBox's
    /// version and flags, a sample entry's fixed fields).
    func children(of box: BoxHeader, skip: Int = 0) throws(ContainersError) -> BoxReader {
        guard depth + 1 <= MP4Limits.boxDepth else {
            throw .limitExceeded(what: "\(box.typeName) nesting depth", value: depth + 1, limit: MP4Limits.boxDepth)
        }
        guard skip <= box.end - box.bodyStart else {
            throw .truncated(what: box.typeName, needed: skip, available: box.end - box.bodyStart)
        }
        return BoxReader(buffer: buffer, position: box.bodyStart + skip, end: box.end, depth: depth + 1)
    }

    /// A reader over the body of `box` for its fields, at the same depth.
    func body(of box: BoxHeader) -> BoxReader {
        BoxReader(buffer: buffer, position: box.bodyStart, end: box.end, depth: depth)
    }

    /// The next box header, or nil at the end. `size` 0 means "to the end of the enclosing
    /// space" and `size` 1 means a 64-bit `largesize` follows (§4.2).
    mutating func nextBox() throws(ContainersError) -> BoxHeader? {
        guard position < end else { return nil }
        let start = position
        let size32 = try u32("box header")
        let type = try u32("box header")
        var size = Int(size32)
        if size32 == 1 {
            let large = try u64("\(fourCCName(type)) largesize")
            guard large <= UInt64(end - start) else {
                throw .truncated(what: fourCCName(type), needed: Int(clamping: large), available: end - start)
            }
            size = Int(large)
        } else if size32 == 0 {
            size = end - start
        }
        guard size >= position - start else {
            throw .invalid(what: fourCCName(type), reason: "size \(size) is smaller than its header")
        }
        guard size <= end - start else { throw .truncated(what: fourCCName(type), needed: size, available: end - start) }
        let header = BoxHeader(type: type, start: start, bodyStart: position, end: start + size)
        position = header.end
        return header
    }

    /// The first child of type `type`, or nil.
    mutating func first(_ type: UInt32) throws(ContainersError) -> BoxHeader? {
        while let box = try nextBox() {
            if box.type == type { return box }
        }
        return nil
    }

    private mutating func need(_ n: Int, _ what: String) throws(ContainersError) {
        guard n <= end - position else { throw .truncated(what: what, needed: n, available: end - position) }
    }

    mutating func u8(_ what: String) throws(ContainersError) -> UInt8 {
        try need(1, what)
        defer { position += 1 }
        return buffer.getInteger(at: position) ?? 0
    }

    mutating func u16(_ what: String) throws(ContainersError) -> UInt16 {
        try need(2, what)
        defer { position += 2 }
        return buffer.getInteger(at: position) ?? 0
    }

    mutating func u32(_ what: String) throws(ContainersError) -> UInt32 {
        try need(4, what)
        defer { position += 4 }
        return buffer.getInteger(at: position) ?? 0
    }

    mutating func u64(_ what: String) throws(ContainersError) -> UInt64 {
        try need(8, what)
        defer { position += 8 }
        return buffer.getInteger(at: position) ?? 0
    }

    mutating func skip(_ n: Int, _ what: String) throws(ContainersError) {
        try need(n, what)
        position += n
    }

    /// FullBox `version` and `flags` (§4.2.2).
    mutating func versionAndFlags(_ what: String) throws(ContainersError) -> (version: UInt8, flags: UInt32) {
        let v = try u32(what)
        return (UInt8(v >> 24), v & 0xFF_FFFF)
    }
}
