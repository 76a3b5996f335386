import NIOCore

/// Builds ISO BMFF boxes (ISO/IEC 14496-12 §4.2) into a `ByteBuffer`, back-patching each box size
/// once its body is written.
struct BoxWriter {
    var buffer: ByteBuffer

    init(capacity: Int = 1024) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// `Box`: 32-bit size and four-character type, then `body`.
    mutating func box(_ type: String, _ body: (inout BoxWriter) -> Void) {
        let start = buffer.writerIndex
        buffer.writeInteger(UInt32(0))
        fourCC(type)
        body(&self)
        let size = buffer.writerIndex - start
        precondition(size <= Int(UInt32.max), "box \(type) exceeds 4 GiB")
        buffer.setInteger(UInt32(size), at: start)
    }

    /// `FullBox`: a box with an 8-bit version and 24-bit flags (§4.2.2).
    mutating func fullBox(_ type: String, version: UInt8 = 0, flags: UInt32 = 0, _ body: (inout BoxWriter) -> Void) {
        box(type) { w in
            w.u32(UInt32(version) << 24 | (flags & 0xFF_FFFF))
            body(&w)
        }
    }

    mutating func fourCC(_ code: String) {
        let utf8 = Array(code.utf8)
        precondition(utf8.count == 4, "four-character code \(code)")
        buffer.writeBytes(utf8)
    }

    mutating func u8(_ v: UInt8) { buffer.writeInteger(v) }
    mutating func u16(_ v: UInt16) { buffer.writeInteger(v) }
    mutating func u32(_ v: UInt32) { buffer.writeInteger(v) }
    mutating func i32(_ v: Int32) { buffer.writeInteger(v) }
    mutating func u64(_ v: UInt64) { buffer.writeInteger(v) }
    mutating func bytes<C: Collection>(_ b: C) where C.Element == UInt8 { buffer.writeBytes(b) }
    mutating func zeros(_ n: Int) { buffer.writeRepeatingByte(0, count: n) }

    /// The unity transformation matrix of `mvhd`/`tkhd` (§8.2.2.3).
    mutating func unityMatrix() {
        for v: UInt32 in [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000] { u32(v) }
    }
}
