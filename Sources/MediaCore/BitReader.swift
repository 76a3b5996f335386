/// Reads bits most-significant first from a byte array, with Exp-Golomb helpers for H.264/HEVC
/// parameter sets (ITU-T H.264 §9.1).
public struct BitReader {
    public enum Error: Swift.Error, Equatable {
        case endOfData
        case exponentTooLarge
    }

    private let bytes: [UInt8]
    public private(set) var bitPosition: Int = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var bitsLeft: Int { bytes.count * 8 - bitPosition }

    public mutating func readBit() throws(Error) -> UInt32 {
        guard bitPosition < bytes.count * 8 else { throw .endOfData }
        let byte = bytes[bitPosition >> 3]
        let bit = (byte >> (7 - UInt8(bitPosition & 7))) & 1
        bitPosition += 1
        return UInt32(bit)
    }

    public mutating func readBits(_ count: Int) throws(Error) -> UInt32 {
        precondition(count <= 32)
        var value: UInt32 = 0
        for _ in 0..<count { value = (value << 1) | (try readBit()) }
        return value
    }

    public mutating func readFlag() throws(Error) -> Bool { try readBit() == 1 }

    public mutating func skipBits(_ count: Int) throws(Error) {
        guard bitsLeft >= count else { throw .endOfData }
        bitPosition += count
    }

    /// ue(v). Codes longer than 31 leading zeros are refused: no conforming syntax element needs them.
    public mutating func readUE() throws(Error) -> UInt32 {
        var zeros = 0
        while try readBit() == 0 {
            zeros += 1
            if zeros > 31 { throw .exponentTooLarge }
        }
        if zeros == 0 { return 0 }
        let rest = try readBits(zeros)
        return UInt32((UInt64(1) << zeros) - 1 + UInt64(rest))
    }

    /// se(v).
    public mutating func readSE() throws(Error) -> Int32 {
        let k = try readUE()
        let magnitude = Int32(bitPattern: (k + 1) / 2)
        return k & 1 == 1 ? magnitude : -magnitude
    }
}
