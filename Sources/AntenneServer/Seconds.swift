import MediaCore

/// Parses a decimal number of seconds ("2", "0.5", "1.250") into milliseconds, without floating
/// point. At most three decimals; at most 86 400 s (a day), which bounds every timing flag.
enum Seconds {
    static let maximumMilliseconds: Int64 = 86_400_000

    static func parse(_ text: String) -> MediaTime? {
        let pieces = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let wholeText = pieces.first, !wholeText.isEmpty, wholeText.count <= 5,
              wholeText.allSatisfy(\.isASCII), let whole = Int64(wholeText), whole >= 0 else { return nil }
        var millis = whole * 1_000
        if pieces.count == 2 {
            let fraction = pieces[1]
            guard !fraction.isEmpty, fraction.count <= 3, let f = Int64(fraction), f >= 0, fraction.allSatisfy(\.isASCII) else { return nil }
            millis += f * Int64([100, 10, 1][fraction.count - 1])
        }
        guard millis > 0, millis <= maximumMilliseconds else { return nil }
        return MediaTime(ticks: millis, timescale: 1_000)
    }
}
