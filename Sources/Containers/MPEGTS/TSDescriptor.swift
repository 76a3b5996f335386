import MediaCore

/// One descriptor of a PMT descriptor loop (ISO/IEC 13818-1 §2.6, Table 2-45): an 8-bit tag, an
/// 8-bit length and that many bytes.
struct TSDescriptor: Hashable {
    var tag: UInt8
    var body: ArraySlice<UInt8>

    /// `registration_descriptor` (§2.6.8): a 32-bit `format_identifier` registered with SMPTE-RA.
    static let registrationTag: UInt8 = 0x05
    /// `extension_descriptor` (§2.6.90): an 8-bit `extension_descriptor_tag`, then its fields.
    static let extensionTag: UInt8 = 0x7F
    /// `ISO_639_language_descriptor` (§2.6.18): entries of a 24-bit `ISO_639_language_code`
    /// (three ISO 8859-1 letters, ISO 639-2) and an 8-bit `audio_type`.
    static let iso639LanguageTag: UInt8 = 0x0A

    /// The language of an elementary stream: the first entry of its `ISO_639_language_descriptor`.
    /// Nil when there is none, when it is `und` (undetermined), or when its code is not three
    /// letters: the descriptor is left out, the stream is not.
    static func language(_ descriptors: [UInt8]) -> LanguageTag? {
        guard let descriptor = list(descriptors).first(where: { $0.tag == iso639LanguageTag }), descriptor.body.count >= 4 else {
            return nil
        }
        let code = descriptor.body.prefix(3)
        guard code.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }),
              let tag = LanguageTag(String(decoding: code, as: UTF8.self)), tag.value != LanguageTag.undetermined else { return nil }
        return tag
    }

    /// The `ISO_639_language_descriptor` of a track's language, when it is an ISO 639-2 code
    /// (three letters, no subtags: the descriptor has room for nothing else), `audio_type` 0
    /// (undefined); empty otherwise.
    static func languageDescriptor(_ language: LanguageTag?) -> [UInt8] {
        guard let language, language.value.utf8.count == 3 else { return [] }
        return [iso639LanguageTag, 4] + Array(language.value.utf8) + [0]
    }

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
