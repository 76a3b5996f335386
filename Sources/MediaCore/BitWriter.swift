/// Writes bits most-significant first.
public struct BitWriter {
    public private(set) var bytes: [UInt8] = []
    private var bitCount = 0

    public init() {}

    public mutating func writeBits(_ value: UInt32, count: Int) {
        precondition(count <= 32)
        for i in stride(from: count - 1, through: 0, by: -1) {
            let bit = UInt8((value >> UInt32(i)) & 1)
            if bitCount & 7 == 0 { bytes.append(0) }
            bytes[bytes.count - 1] |= bit << (7 - UInt8(bitCount & 7))
            bitCount += 1
        }
    }

    public mutating func writeFlag(_ flag: Bool) { writeBits(flag ? 1 : 0, count: 1) }

    public mutating func writeUE(_ value: UInt32) {
        let v = UInt64(value) + 1
        let length = 64 - v.leadingZeroBitCount
        writeBits(0, count: length - 1)
        for i in stride(from: length - 1, through: 0, by: -1) {
            writeBits(UInt32((v >> UInt64(i)) & 1), count: 1)
        }
    }
}
