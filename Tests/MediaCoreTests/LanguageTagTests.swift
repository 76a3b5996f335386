import Testing
@testable import MediaCore

@Suite struct LanguageTagTests {
    @Test(arguments: [
        ("en", "en"), ("ENG", "eng"), ("fr-ca", "fr-CA"), ("zh-hant-tw", "zh-Hant-TW"), ("es-419", "es-419"),
        ("sl-rozaj-biske", "sl-rozaj-biske"),
    ])
    func accepted(raw: String, normalised: String) {
        #expect(LanguageTag(raw)?.value == normalised)
    }

    @Test(arguments: [
        "", "e", "engl", "en-", "-en", "en--us", "e1", "en_US", "en-abcdefghi", "fr\"", "en us", "é",
        String(repeating: "ab-", count: 12) + "ab",  // 38 characters
    ])
    func refused(raw: String) {
        #expect(LanguageTag(raw) == nil)
    }

    /// ISO 639-2 codes, terminology and bibliographic, read as ISO 639-1's where it has the
    /// language; subtags after it are kept; the rest is unchanged.
    @Test(arguments: [
        ("eng", "en"), ("fra", "fr"), ("fre", "fr"), ("deu", "de"), ("ger", "de"), ("zho-Hant", "zh-Hant"),
        ("eng-gb", "en-GB"), ("fr-CA", "fr-CA"), ("en", "en"), ("und", "und"), ("yue", "yue"), ("mul", "mul"),
    ])
    func shortest(raw: String, shortest: String) throws {
        #expect(try #require(LanguageTag(raw)).shortest.value == shortest)
    }

    /// The 184 languages of ISO 639-1 are each reached from their ISO 639-2 codes; every entry
    /// takes a lower-case three-letter code to a two-letter one.
    @Test func theTableCoversISO6391() {
        let table = LanguageTag.iso639Part1
        #expect(Set(table.values).count == 184)
        #expect(table.allSatisfy { $0.key.count == 3 && $0.value.count == 2 && $0.value.allSatisfy { ("a"..."z").contains($0) } })
        #expect(table.keys.allSatisfy { LanguageTag($0)?.value == $0 })
    }
}
