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
}
