import Crypto
import Foundation
import NIOCore
import _CryptoExtras

/// AES-128-CBC with PKCS#7 padding over one whole resource, as `METHOD=AES-128` wants
/// (RFC 8216bis §5.2): a segment (its parts in order) or a part.
enum SegmentCipher {
    /// `buffers` (one resource's bytes, in order) encrypted with `key` from `iv`.
    static func encrypt(_ buffers: [ByteBuffer], key: [UInt8], iv: [UInt8]) throws -> ByteBuffer {
        var plain = Data()
        plain.reserveCapacity(buffers.reduce(0) { $0 + $1.readableBytes })
        for buffer in buffers { buffer.withUnsafeReadableBytes { plain.append(contentsOf: $0) } }
        let sealed = try AES._CBC.encrypt(plain, using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv))
        return ByteBuffer(bytes: sealed)
    }

    /// The clear bytes of `sealed`: what a player does (tests).
    static func decrypt(_ sealed: ByteBuffer, key: [UInt8], iv: [UInt8]) throws -> ByteBuffer {
        let plain = try AES._CBC.decrypt(Data(sealed.readableBytesView), using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv))
        return ByteBuffer(bytes: plain)
    }
}
