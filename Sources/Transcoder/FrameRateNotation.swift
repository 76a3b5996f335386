import MediaCore

/// Frame rates as a ladder configuration writes them: a whole number (`30`, `"30"`) or an exact
/// fraction (`"30000/1001"`). Decimal rates such as 29.97 are rejected: they are not exact, and
/// the fraction says what is meant.
enum FrameRateNotation {
    /// Parses `"30"` or `"30000/1001"` into a positive rational; nil otherwise.
    static func parse(_ text: String) -> Rational? {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let numerator = parseComponent(parts[0]) else { return nil }
        if parts.count == 1 { return Rational(numerator, 1) }
        guard let denominator = parseComponent(parts[1]) else { return nil }
        return Rational(numerator, denominator)
    }

    /// `"30"` when the rate is whole, `"30000/1001"` otherwise.
    static func format(_ rate: Rational) -> String {
        if rate.denominator == 1 { return String(rate.numerator) }
        return "\(rate.numerator)/\(rate.denominator)"
    }

    /// A positive integer of at most 9 digits (frame rates never need more; no overflow when
    /// cross-multiplying two of them).
    private static func parseComponent(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.count <= 9, text.allSatisfy(\.isASCIIDigit), let value = Int64(text), value > 0
        else { return nil }
        return value
    }
}
