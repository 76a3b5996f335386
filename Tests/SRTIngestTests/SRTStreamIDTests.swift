import Testing
@testable import SRTIngest

@Suite struct SRTStreamIDTests {
    static func parse(_ text: String) throws(SRTStreamID.Refusal) -> SRTStreamID {
        try SRTStreamID(parsing: Array(text.utf8))
    }

    @Test(arguments: [
        ("publish:k-secret-1", "k-secret-1"),
        ("#!::r=live/k-secret-1,m=publish", "k-secret-1"),
        ("#!::m=publish,r=live/k-secret-1", "k-secret-1"),
        ("#!::u=obs,r=live/k-secret-1,m=publish,t=stream", "k-secret-1"),
        ("publish:key,with=odd:chars", "key,with=odd:chars"),
    ])
    func bothFormsGiveTheStreamKey(text: String, key: String) throws {
        #expect(try Self.parse(text).streamKey == key)
    }

    @Test(arguments: [
        ("", SRTStreamID.Refusal.missing),
        ("k-secret-1", .malformed),
        ("play:k-secret-1", .malformed),
        ("publish:", .badStreamKey),
        ("publish:has space", .badStreamKey),
        ("publish:tab\there", .badStreamKey),
        ("#!::r=live/k-secret-1,m=request", .notPublish),
        ("#!::r=live/k-secret-1", .notPublish),
        ("#!::r=other/k-secret-1,m=publish", .malformed),
        ("#!::r=live/a,r=live/b,m=publish", .malformed),
        ("#!::r=live/k,m=publish,x=1", .unsupportedKey),
        ("#!::r=live/k,m=publish,t=file", .unsupportedKey),
        ("#!::r=live/k,m=publish,", .malformed),
        ("#!::r=live/,m=publish", .badStreamKey),
    ])
    func badStreamIDsAreRefused(text: String, refusal: SRTStreamID.Refusal) {
        #expect(throws: refusal) { try Self.parse(text) }
    }

    @Test func theLengthLimitIsSRTsOwn() throws {
        let longest = "publish:" + String(repeating: "k", count: SRTStreamID.maximumLength - 8)
        #expect(try Self.parse(longest).streamKey.utf8.count == SRTStreamID.maximumLength - 8)
        #expect(throws: SRTStreamID.Refusal.tooLong(bytes: SRTStreamID.maximumLength + 1)) {
            try Self.parse(longest + "k")
        }
        // Checked before anything else: a megabyte is refused without being read.
        let huge = [UInt8](repeating: 0x41, count: 1 << 20)
        #expect(throws: SRTStreamID.Refusal.tooLong(bytes: 1 << 20)) { try SRTStreamID(parsing: huge) }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: SRTStreamID.Refusal.badStreamKey) { try SRTStreamID(parsing: Array("publish:".utf8) + [0xFF, 0xFE]) }
    }

    @Test func neitherTheValueNorARefusalShowsTheKey() throws {
        let id = try Self.parse("publish:k-very-secret")
        #expect(!"\(id)".contains("k-very-secret"))
        for text in ["#!::r=live/k-very-secret,m=request", "#!::r=live/k-very-secret,x=1", "publish:k-very secret"] {
            do {
                _ = try Self.parse(text)
                Issue.record("\(text) was accepted")
            } catch {
                #expect(!"\(error)".contains("very"))
            }
        }
    }
}
