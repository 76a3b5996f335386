/// One descriptor of a PMT descriptor loop (ISO/IEC 13818-1 §2.6, Table 2-45): an 8-bit tag, an
/// 8-bit length and that many bytes.
struct TSDescriptor: Hashable {
    var tag: UInt8
    var body: ArraySlice<UInt8>

    /// `registration_descriptor` (§2.6.8): a 32-bit `format_identifier` registered with SMPTE-RA.
    static let registrationTag: UInt8 = 0x05
    /// `extension_descriptor` (§2.6.90): an 8-bit `extension_descriptor_tag`, then its fields.
    static let extensionTag: UInt8 = 0x7F

    /// The descriptors of a loop, in order. The loop is already bounded by its section (at most
    /// 1021 bytes, so at most 510 descriptors); a last descriptor whose length runs past the loop
    /// is left out, and a stream that needed it is then described as having none.
    static func list(_ bytes: [UInt8]) -> [TSDescriptor] {
        var out: [TSDescriptor] = []
        var i = bytes.startIndex
        while bytes.endIndex - i >= 2 {
            let end = i + 2 + Int(bytes[i + 1])
            guard end <= bytes.endIndex else { break }
            out.append(TSDescriptor(tag: bytes[i], body: bytes[(i + 2)..<end]))
            i = end
        }
        return out
    }
}
