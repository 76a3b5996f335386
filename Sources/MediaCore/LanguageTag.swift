/// The language of a track: an RFC 5646 language tag (`en`, `fr-CA`) or an ISO 639-2 code
/// (`eng`, `fra`, as MPEG-TS and ISO BMFF carry it), checked and written in the case RFC 5646
/// §2.1.1 recommends (language lower case, script title case, region upper case).
///
/// What it accepts (RFC 5646 §2.1, the subset encoders send): a primary subtag of two or three
/// letters (ISO 639), then subtags of one to eight letters or digits, separated by `-`, at most
/// ``maximumLength`` characters in all. Anything else is no language: a playlist or an MPD never
/// carries text from the wire that is not a language tag.
public struct LanguageTag: Sendable, Hashable, CustomStringConvertible {
    /// The tag, normalised.
    public let value: String

    /// Characters of a tag. RFC 5646 §4.4.1 asks implementations to hold tags of at least 35
    /// characters (the longest useful tag: language, extlang, script, region, variant); longer
    /// ones are refused.
    public static let maximumLength = 35

    /// ISO 639-2's "undetermined", which says nothing of the language.
    public static let undetermined = "und"

    public init?(_ text: some StringProtocol) {
        let raw = String(text)
        guard !raw.isEmpty, raw.utf8.count <= Self.maximumLength else { return nil }
        let subtags = raw.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = subtags.first, (2...3).contains(primary.count),
              primary.utf8.allSatisfy(Self.isLetter) else { return nil }
        var out: [String] = [primary.lowercased()]
        for subtag in subtags.dropFirst() {
            guard (1...8).contains(subtag.count), subtag.utf8.allSatisfy({ Self.isLetter($0) || Self.isDigit($0) }) else { return nil }
            let lower = subtag.lowercased()
            let isLetters = subtag.utf8.allSatisfy(Self.isLetter)
            if subtag.count == 2 && isLetters {
                out.append(lower.uppercased())  // region
            } else if subtag.count == 4 && isLetters {
                out.append(lower.prefix(1).uppercased() + lower.dropFirst())  // script
            } else {
                out.append(lower)
            }
        }
        value = out.joined(separator: "-")
    }

    /// The language subtag (`en`, `fra`).
    public var primary: Substring { value.prefix { $0 != "-" } }

    public var description: String { value }

    private static func isLetter(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
}
