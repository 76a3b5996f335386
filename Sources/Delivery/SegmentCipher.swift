import Crypto
import Foundation
import NIOCore
import _CryptoExtras

/// AES-128-CBC with PKCS#7 padding over one whole resource, as `METHOD=AES-128` wants
/// (RFC 8216bis §5.2): a segment (its parts in order) or a part.
enum SegmentCipher {
    /// `buffers` (one resource's bytes, in order) encrypted with `key` from `iv`.
    ///
    /// The chain is written here over one contiguous buffer, in place, with the AES block
    /// function (`AES.permute`): `AES._CBC` goes through a generic collection block by block,
    /// which costs several times as much per byte.
    static func encrypt(_ buffers: [ByteBuffer], key: [UInt8], iv: [UInt8]) throws -> ByteBuffer {
        guard iv.count == blockSize else { throw CryptoKitError.incorrectParameterSize }
        let length = buffers.reduce(0) { $0 + $1.readableBytes }
        // PKCS#7 (RFC 5652 §6.3): 1 to 16 bytes, each the count.
        let padding = blockSize - length % blockSize
        var bytes = [UInt8]()
        bytes.reserveCapacity(length + padding)
        for buffer in buffers { buffer.withUnsafeReadableBytes { bytes.append(contentsOf: $0) } }
        bytes.append(contentsOf: repeatElement(UInt8(padding), count: padding))
        let symmetricKey = SymmetricKey(data: key)
        try bytes.withUnsafeMutableBufferPointer { all throws in
            var offset = 0
            while offset < all.count {
                var block = UnsafeMutableBufferPointer(rebasing: all[offset..<(offset + blockSize)])
                if offset == 0 {
                    for i in 0..<blockSize { block[i] ^= iv[i] }
                } else {
                    for i in 0..<blockSize { block[i] ^= all[offset - blockSize + i] }
                }
                try AES.permute(&block, key: symmetricKey)
                offset += blockSize
            }
        }
        return ByteBuffer(bytes: bytes)
    }

    /// AES works on 16-byte blocks (FIPS 197).
    static let blockSize = 16

    /// The clear bytes of `sealed`: what a player does (tests).
    static func decrypt(_ sealed: ByteBuffer, key: [UInt8], iv: [UInt8]) throws -> ByteBuffer {
        let plain = try AES._CBC.decrypt(Data(sealed.readableBytesView), using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv))
        return ByteBuffer(bytes: plain)
    }
}
