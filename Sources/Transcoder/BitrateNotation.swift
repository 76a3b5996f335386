/// Bitrates as a ladder configuration writes them: `"4M"`, `"2.5M"`, `"700k"` or a plain number of
/// bits per second. Suffixes follow FFmpeg's SI units: `k`/`K` is 1 000 and `M` is 1 000 000 (a
/// lowercase `m` would be "milli" to FFmpeg, so it is rejected rather than guessed).
enum BitrateNotation {
    /// The largest bitrate a configuration may state: 10 Gbit/s, far above any rung, and small
    /// enough that every intermediate product fits in an `Int`.
    static let maximum = 10_000_000_000

    /// Parses `"4M"`, `"2.5M"`, `"700k"`, `"64000"`. Returns nil for anything else, including
    /// values above ``maximum`` or with a fraction finer than one bit per second.
    static func parse(_ text: String) -> Int? {
        var digits = Substring(text)
        var multiplier = 1
        switch digits.last {
        case "k", "K": multiplier = 1_000
        case "M": multiplier = 1_000_000
        default: break
        }
        if multiplier != 1 { digits = digits.dropLast() }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let wholeText = parts.first, !wholeText.isEmpty, wholeText.count <= 11,
              wholeText.allSatisfy(\.isASCIIDigit), let whole = Int(wholeText)
        else { return nil }
        var value = whole * multiplier
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.count <= 6, fraction.allSatisfy(\.isASCIIDigit),
                  let fractionValue = Int(fraction)
            else { return nil }
            var scale = 1
            for _ in 0..<fraction.count { scale *= 10 }
            guard (fractionValue * multiplier) % scale == 0 else { return nil }
            value += fractionValue * multiplier / scale
        }
        return value <= maximum ? value : nil
    }

    /// The shortest exact notation: `4000000` → `"4M"`, `2500000` → `"2500k"`, `64123` → `"64123"`.
    static func format(_ bitsPerSecond: Int) -> String {
        if bitsPerSecond != 0, bitsPerSecond % 1_000_000 == 0 { return "\(bitsPerSecond / 1_000_000)M" }
        if bitsPerSecond != 0, bitsPerSecond % 1_000 == 0 { return "\(bitsPerSecond / 1_000)k" }
        return String(bitsPerSecond)
    }
}
