import Containers
import Crypto
import MediaCore
import NIOCore
import _CryptoExtras

/// The `cbcs` scheme (ISO/IEC 23001-7 §10.4) of an encrypted channel, applied when objects are
/// served, as AES-128 is: the packager's objects stay clear, and one encrypted copy of each
/// serves every viewer (``EncryptedObjects``).
///
/// - Key period `p` has the key ``ContentKeys`` gives it (the same as under AES-128), the key ID
///   ``keyID(channel:period:)`` and the constant IV ``iv(period:)``.
/// - Init segments: the sample entry becomes `encv`/`enca` with `sinf` (`cbcs`, `tenc` with the
///   default key ID, that of period 0, and the 1:9 pattern for video). They need no key: they
///   are the same for every period.
/// - Fragments (every part, every segment: a segment is its parts, each rewritten on its own,
///   so a segment's bytes are its parts' encrypted bytes one after the other): each names its
///   period's key ID and IV in a `seig` sample group, which is how keys rotate without another
///   init segment (§6); `senc`, `saiz`, `saio` carry the subsamples (``CENCTrack`` says which
///   bytes stay clear). Firefox reads no `seig` with a constant IV and uses `tenc` instead: the
///   web player (`Player/clearkey.js`, `KEY_IN_INIT`) appends the init segment again with the
///   period's key ID and IV in its `tenc` there, so the bytes served stay one copy for all.
extension ContentEncryption {
    /// The key ID of `channel`'s period `period`: 8 bytes of SHA-256 over a label and the
    /// channel's name, then the period as 8 bytes big-endian. Identical origins give identical
    /// IDs; a player reads the period off the ID's last 8 bytes to know which key URL to ask.
    /// Key IDs are public (they are in every init segment and MPD): nothing about the key
    /// follows from one.
    public static func keyID(channel: String, period: Int) -> [UInt8] {
        let digest = SHA256.hash(data: Array("antenne cbcs key id".utf8) + [0] + Array(channel.utf8))
        return Array(digest.prefix(8)) + (0..<8).map { UInt8(truncatingIfNeeded: UInt64(period) >> (56 - 8 * $0)) }
    }

    /// The protection of period `period`'s fragments.
    func protection(channel: String, period: Int) -> CommonEncryption.Protection {
        CommonEncryption.Protection(keyID: Self.keyID(channel: channel, period: period), iv: iv(period: period))
    }

    /// `buffers` (one part or segment of a track laid out as `layout`) encrypted with `key`, the
    /// key of `period`.
    func protect(_ buffers: [ByteBuffer], channel: String, period: Int, key: [UInt8], layout: CENCTrack) throws -> ByteBuffer {
        var joined = ByteBufferAllocator().buffer(capacity: buffers.reduce(0) { $0 + $1.readableBytes })
        for var buffer in buffers { joined.writeBuffer(&buffer) }
        let symmetricKey = SymmetricKey(data: key)
        return try CommonEncryption.protect(fragments: joined, track: layout, protection(channel: channel, period: period)) { block in
            try AES.permute(&block, key: symmetricKey)
        }
    }
}
