/// AES-CBC with a crypt:skip pattern over one protected range, as `cbcs` does (ISO/IEC 23001-7
/// §10.4.2): the chain starts from the constant IV at every protected range, runs through the
/// encrypted blocks only (`crypt` blocks encrypted, `skip` left, repeated), and a partial block
/// at the end stays clear. A 0:0 pattern encrypts every whole block (§9.6.1).
///
/// The block function is the caller's (the module does no cryptography of its own): it turns
/// one 16-byte block in place, forward to encrypt, backward to decrypt.
public struct PatternCipher {
    public typealias Block = (inout UnsafeMutableBufferPointer<UInt8>) throws -> Void

    let iv: [UInt8]
    let crypt: Int
    let skip: Int
    let block: Block

    public init(iv: [UInt8], pattern: (crypt: UInt8, skip: UInt8), block: @escaping Block) {
        self.iv = iv
        let wholeBlocks = pattern.crypt == 0 && pattern.skip == 0
        crypt = wholeBlocks ? 1 : Int(pattern.crypt)
        skip = wholeBlocks ? 0 : Int(pattern.skip)
        self.block = block
    }

    /// AES works on 16-byte blocks (FIPS 197).
    static let blockSize = 16

    /// Encrypts (or, `decrypting`, decrypts) `range` of `bytes` in place.
    func apply(_ bytes: UnsafeMutableBufferPointer<UInt8>, range: Range<Int>, decrypting: Bool = false) throws {
        let size = Self.blockSize
        var chain = iv
        var offset = range.lowerBound
        var inPattern = 0
        while offset + size <= range.upperBound {
            if inPattern < crypt {
                var one = UnsafeMutableBufferPointer(rebasing: bytes[offset..<(offset + size)])
                if decrypting {
                    let sealed = Array(one)
                    try block(&one)
                    for i in 0..<size { one[i] ^= chain[i] }
                    chain = sealed
                } else {
                    for i in 0..<size { one[i] ^= chain[i] }
                    try block(&one)
                    for i in 0..<size { chain[i] = one[i] }
                }
            }
            inPattern = (inPattern + 1) % (crypt + skip)
            offset += size
        }
    }
}
