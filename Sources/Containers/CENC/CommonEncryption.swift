import NIOCore

/// Common encryption of CMAF objects with the `cbcs` scheme (ISO/IEC 23001-7 §10.4), applied to
/// objects the packager wrote clear: the init segment gets protected sample entries, each
/// fragment its encrypted samples and their sample auxiliary information. Nothing else changes,
/// so the encrypted objects have the same timing, the same parts and the same segments.
///
/// Keys rotate with sample groups (§6, `seig`): every fragment names the key ID of its key
/// period and the constant IV in a fragment-local `sgpd`, which every sample belongs to (`sbgp`).
/// The init segment's `tenc` gives the default key ID, used by no sample while `seig` is there.
public enum CommonEncryption {
    /// A key ID and the constant IV of the samples encrypted under it (§9.1, `tenc` and `seig`).
    public struct Protection: Sendable, Hashable {
        /// 16 bytes, the `KID` players ask their key for.
        public var keyID: [UInt8]
        /// 16 bytes, the IV every protected range starts its chain from (§10.4.1, constant IV).
        public var iv: [UInt8]

        public init(keyID: [UInt8], iv: [UInt8]) {
            self.keyID = keyID
            self.iv = iv
        }
    }

    /// `scheme_type` `cbcs`, `scheme_version` 1.0 (§4.2, §10.4).
    static let schemeVersion: UInt32 = 0x0001_0000
    /// `sbgp` group description index of the first fragment-local `sgpd` entry (ISO/IEC
    /// 14496-12 §8.9.4).
    static let fragmentLocalGroup: UInt32 = 0x0001_0000 + 1
    /// `senc` flag UseSubSampleEncryption (§7.2.1).
    static let useSubsamples: UInt32 = 0x2

    static let sinf = fourCC("sinf"), senc = fourCC("senc"), seig = fourCC("seig"), sgpd = fourCC("sgpd")
    static let schm = fourCC("schm"), tenc = fourCC("tenc"), frma = fourCC("frma"), schi = fourCC("schi")

    /// The fields shared by `tenc` v1 (§8.2.2) and a `seig` entry (§6.2): reserved, pattern,
    /// isProtected 1, Per_Sample_IV_Size 0 (the IV is constant), KID, constant IV.
    static func protectionFields(_ w: inout BoxWriter, _ protection: Protection, track: CENCTrack) {
        w.u8(0)
        w.u8(track.pattern.crypt << 4 | track.pattern.skip)
        w.u8(1)
        w.u8(0)
        w.bytes(protection.keyID)
        w.u8(UInt8(protection.iv.count))
        w.bytes(protection.iv)
    }

    /// `sinf` (ISO/IEC 14496-12 §8.12): the original format, the scheme, and `tenc` (§8.2).
    static func protectionScheme(original: [UInt8], _ protection: Protection, track: CENCTrack) -> [UInt8] {
        var w = BoxWriter(capacity: 96)
        w.box("sinf") { w in
            w.box("frma") { w in w.bytes(original) }
            w.fullBox("schm") { w in
                w.fourCC("cbcs")
                w.u32(schemeVersion)
            }
            w.box("schi") { w in
                w.fullBox("tenc", version: 1) { w in protectionFields(&w, protection, track: track) }
            }
        }
        return Array(w.buffer.readableBytesView)
    }

    static func check(_ protection: Protection) throws(ContainersError) {
        guard protection.keyID.count == 16 else { throw .invalid(what: "cbcs key ID", reason: "\(protection.keyID.count) bytes, not 16") }
        guard protection.iv.count == 16 else { throw .invalid(what: "cbcs IV", reason: "\(protection.iv.count) bytes, not 16") }
    }
}
