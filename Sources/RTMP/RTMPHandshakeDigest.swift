import Crypto

/// The HMAC-SHA256 digests of the Flash Player 9 ("complex") handshake.
///
/// This scheme is not in the published RTMP spec (§5.2 only describes the echo handshake); it is
/// the de-facto layout that Flash Player, librtmp, ffmpeg (libavformat/rtmpproto.c) and
/// nginx-rtmp agree on. A 1536-byte C1/S1 is `time(4) version(4) random(1528)`; a 32-byte digest
/// sits inside the random part at an offset derived from four bytes either at 8...11 (scheme 0)
/// or at 772...775 (scheme 1). The digest is the HMAC of the packet without those 32 bytes.
public enum RTMPHandshakeDigest {
    /// The digest schemes: where the offset bytes and the digest live.
    public enum Scheme: Sendable, Hashable, CaseIterable {
        /// Offset from bytes 8...11, digest in 12..<772 ("digest first", what ffmpeg uses).
        case offsetAt8
        /// Offset from bytes 772...775, digest in 776..<1536.
        case offsetAt772

        var offsetBytesPosition: Int { self == .offsetAt8 ? 8 : 772 }
        var base: Int { self == .offsetAt8 ? 12 : 776 }
    }

    /// Size of a digest (SHA-256).
    public static let digestLength = 32
    /// Size of C1, S1, C2 and S2 (RTMP spec §5.2.3).
    public static let packetLength = 1536
    /// Digests live in a 764-byte half, minus the 4 offset bytes and the 32 digest bytes.
    static let offsetModulus = 728

    /// The 32 bytes that follow both key texts (shared by every implementation).
    static let keyTail: [UInt8] = [
        0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0, 0xD1, 0x02, 0x9E, 0x7E, 0x57,
        0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80, 0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE,
    ]
    /// "Genuine Adobe Flash Player 001" and the tail. The first 30 bytes key the client digest.
    public static let clientKey: [UInt8] = Array("Genuine Adobe Flash Player 001".utf8) + keyTail
    /// "Genuine Adobe Flash Media Server 001" and the tail. The first 36 bytes key the server digest;
    /// the full 68 bytes key the derivation of the S2 key.
    public static let serverKey: [UInt8] = Array("Genuine Adobe Flash Media Server 001".utf8) + keyTail
    static let clientKeyTextLength = 30
    static let serverKeyTextLength = 36

    /// Where the digest sits in `packet` (1536 bytes) under `scheme`.
    public static func digestOffset(in packet: [UInt8], scheme: Scheme) -> Int {
        let position = scheme.offsetBytesPosition
        let sum = Int(packet[position]) + Int(packet[position + 1]) + Int(packet[position + 2]) + Int(packet[position + 3])
        return sum % offsetModulus + scheme.base
    }

    /// HMAC-SHA256 of `packet` with the 32 bytes at `offset` left out.
    static func digest(of packet: [UInt8], excludingAt offset: Int, key: some Collection<UInt8>) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: Array(key)))
        hmac.update(data: packet[0..<offset])
        hmac.update(data: packet[(offset + digestLength)...])
        return Array(hmac.finalize())
    }

    static func hmac(_ data: some Collection<UInt8>, key: some Collection<UInt8>) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(data), using: SymmetricKey(data: Array(key))))
    }

    /// The scheme and digest of a C1 that carries a valid client digest, trying both schemes.
    public static func validClientDigest(in c1: [UInt8]) -> (scheme: Scheme, digest: [UInt8])? {
        precondition(c1.count == packetLength)
        for scheme in Scheme.allCases {
            let offset = digestOffset(in: c1, scheme: scheme)
            let expected = digest(of: c1, excludingAt: offset, key: clientKey.prefix(clientKeyTextLength))
            if expected[...] == c1[offset..<(offset + digestLength)] { return (scheme, expected) }
        }
        return nil
    }

    /// Writes the digest of `packet` into it, at the `scheme` offset, keyed with the first
    /// `keyLength` bytes of `key`. Returns the digest.
    @discardableResult
    public static func imprint(_ packet: inout [UInt8], scheme: Scheme, key: [UInt8], keyLength: Int) -> [UInt8] {
        precondition(packet.count == packetLength)
        let offset = digestOffset(in: packet, scheme: scheme)
        let value = digest(of: packet, excludingAt: offset, key: key.prefix(keyLength))
        packet.replaceSubrange(offset..<(offset + digestLength), with: value)
        return value
    }

    /// Signs a C1 the way Flash Player, librtmp and ffmpeg do (client key, first 30 bytes).
    @discardableResult
    public static func imprintClientDigest(_ c1: inout [UInt8], scheme: Scheme) -> [UInt8] {
        imprint(&c1, scheme: scheme, key: clientKey, keyLength: clientKeyTextLength)
    }

    /// Signs an S1 with the server key (first 36 bytes).
    @discardableResult
    public static func imprintServerDigest(_ s1: inout [UInt8], scheme: Scheme) -> [UInt8] {
        imprint(&s1, scheme: scheme, key: serverKey, keyLength: serverKeyTextLength)
    }

    /// Signs an S2 in place: its last 32 bytes become the HMAC of its first 1504 bytes, keyed with
    /// HMAC(full server key, client digest).
    public static func signS2(_ s2: inout [UInt8], clientDigest: [UInt8]) {
        precondition(s2.count == packetLength)
        let key = hmac(clientDigest, key: serverKey)
        let signature = hmac(s2[0..<(packetLength - digestLength)], key: key)
        s2.replaceSubrange((packetLength - digestLength)..<packetLength, with: signature)
    }

    /// Checks an S2 signed by ``signS2(_:clientDigest:)`` (what a client does with the server's reply).
    public static func isValidS2(_ s2: [UInt8], clientDigest: [UInt8]) -> Bool {
        var copy = s2
        signS2(&copy, clientDigest: clientDigest)
        return copy == s2
    }

    /// Checks the server digest of an S1 under `scheme`.
    public static func isValidS1(_ s1: [UInt8], scheme: Scheme) -> Bool {
        let offset = digestOffset(in: s1, scheme: scheme)
        let expected = digest(of: s1, excludingAt: offset, key: serverKey.prefix(serverKeyTextLength))
        return expected[...] == s1[offset..<(offset + digestLength)]
    }
}
