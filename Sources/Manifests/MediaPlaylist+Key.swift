extension MediaPlaylist {
    /// `EXT-X-KEY` (RFC 8216bis §4.4.4.4): how the Media Segments and Partial Segments after it are
    /// encrypted, until the next `EXT-X-KEY`.
    ///
    /// `METHOD=AES-128` (§5.2): each resource (a segment, a part) is encrypted whole with AES-128
    /// in CBC mode and PKCS#7 padding. The IV is written explicitly: without it a client would
    /// take the Media Sequence Number of the segment, which a Partial Segment only has through
    /// its parent segment, and which not every client works out the same way for parts.
    ///
    /// `METHOD=SAMPLE-AES` (§5.4) over fMP4 is common encryption `cbcs` (ISO/IEC 23001-7): the
    /// samples are encrypted inside the fragments, the IV that counts is the one in the media
    /// (`tenc`, `seig`), and the key at `URI` is the raw 16 bytes (`KEYFORMAT="identity"`, §4.4.4.4).
    /// The IV is written all the same, so that a key line reads the same way whatever the method.
    public struct Key: Sendable, Hashable {
        public var method: Method
        /// Where the 16 key bytes are (`URI`); gets the playlist's query like every other URI.
        public var uri: String
        /// `IV=0x…`: 16 bytes, big-endian, as a 128-bit integer (§4.4.4.4).
        public var iv: [UInt8]

        public init(method: Method = .aes128, uri: String, iv: [UInt8]) {
            self.method = method
            self.uri = uri
            self.iv = iv
        }

        /// The `METHOD` attribute values written here.
        public enum Method: String, Sendable, Hashable {
            case aes128 = "AES-128"
            case sampleAES = "SAMPLE-AES"
        }

        /// `KEYFORMAT`: written for `SAMPLE-AES`, whose players choose a key system by it.
        var keyFormat: String? { method == .sampleAES ? "identity" : nil }

        /// The 16 bytes of `0x` and 32 hexadecimal digits, either case; nil otherwise.
        static func parseIV(_ text: Substring) -> [UInt8]? {
            let digits = Array(text.utf8)
            guard digits.count == 34, digits[0] == UInt8(ascii: "0"), digits[1] | 0x20 == UInt8(ascii: "x") else { return nil }
            func value(_ c: UInt8) -> UInt8? {
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
                default: nil
                }
            }
            var out: [UInt8] = []
            out.reserveCapacity(16)
            for i in stride(from: 2, to: 34, by: 2) {
                guard let high = value(digits[i]), let low = value(digits[i + 1]) else { return nil }
                out.append(high << 4 | low)
            }
            return out
        }

        /// `0x` and 32 hexadecimal digits (§4.2, hexadecimal-sequence).
        var hexadecimalIV: String {
            let digits = Array("0123456789ABCDEF".utf8)
            var out = [UInt8]("0x".utf8)
            out.reserveCapacity(2 + 2 * iv.count)
            for byte in iv {
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
