import MediaCore

/// Conversion between integer media time and the `decimal-floating-point` seconds of
/// RFC 8216bis §4.2, with integer arithmetic only.
///
/// Rendering always writes ``fractionDigits`` decimals ("2.00000"), for `EXTINF`, `EXT-X-PART`
/// `DURATION`, `PART-TARGET` and the `EXT-X-SERVER-CONTROL` durations alike: 10 µs resolution
/// is finer than any media timescale's sample in practice, and one fixed width keeps the text
/// stable byte for byte across instances.
enum DecimalSeconds {
    /// Decimals written after the point.
    static let fractionDigits = 5
    private static let fractionScale: Int64 = 100_000

    /// Integer digits accepted when parsing. 9 digits is ~31 years, longer than any duration.
    static let maxIntegerDigits = 9
    /// Fraction digits accepted when parsing. 9 digits is a nanosecond; `10^9 * 10^9` still fits
    /// in `Int64` with ``maxIntegerDigits``.
    static let maxFractionDigits = 9

    /// `time` in seconds, rounded half up to ``fractionDigits`` decimals. Negative values render
    /// with a leading minus sign.
    static func format(_ time: MediaTime) -> String {
        let negative = time.ticks < 0
        let magnitude = time.ticks.magnitude
        // round(magnitude * 10^5 / timescale) = floor((2 * magnitude * 10^5 + timescale) / (2 * timescale))
        let product = magnitude.multipliedFullWidth(by: UInt64(fractionScale) * 2)
        let (low, carry) = product.low.addingReportingOverflow(UInt64(time.timescale))
        let high = product.high + (carry ? 1 : 0)
        let divisor = UInt64(time.timescale) * 2
        let scaled = divisor.dividingFullWidth((high, low)).quotient
        return ASCIIDigits.string(capacity: 32) { out in
            if negative { out.append(UInt8(ascii: "-")) }
            out.appendDecimal(scaled / UInt64(fractionScale))
            out.append(UInt8(ascii: "."))
            out.appendDecimal(scaled % UInt64(fractionScale), width: fractionDigits)
        }
    }

    /// Parses an unsigned `decimal-floating-point` ("2", "2.000000", "0.33334") into `timescale`
    /// ticks, rounding half up to the nearest tick. Returns nil on any syntax error or on more
    /// digits than the limits above.
    static func parse(_ text: Substring, timescale: UInt32) -> MediaTime? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerText = parts[0]
        let fractionText = parts.count == 2 ? parts[1] : ""
        guard !integerText.isEmpty, integerText.count <= maxIntegerDigits,
              fractionText.count <= maxFractionDigits,
              parts.count == 1 || !fractionText.isEmpty,
              let integer = decimalDigits(integerText),
              let fraction = fractionText.isEmpty ? 0 : decimalDigits(fractionText)
        else { return nil }
        var denominator: Int64 = 1
        for _ in 0..<fractionText.count { denominator *= 10 }
        let numerator = integer * denominator + fraction
        // round(numerator * timescale / denominator), in 128 bits.
        let product = UInt64(numerator).multipliedFullWidth(by: UInt64(timescale) * 2)
        let (low, carry) = product.low.addingReportingOverflow(UInt64(denominator))
        let high = product.high + (carry ? 1 : 0)
        let divisor = UInt64(denominator) * 2
        guard high < divisor else { return nil }
        let ticks = divisor.dividingFullWidth((high, low)).quotient
        guard ticks <= UInt64(Int64.max) else { return nil }
        return MediaTime(ticks: Int64(ticks), timescale: timescale)
    }

    /// The value of a non-empty run of ASCII digits, or nil. Callers bound the length.
    static func decimalDigits(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

extension MediaTime {
    /// `self + other`, in `self`'s timescale (`other` is rescaled, floor-rounded, when its
    /// timescale differs; exact when a rendition's times share one timescale, as they do).
    func adding(_ other: MediaTime) -> MediaTime {
        MediaTime(ticks: ticks + other.rescaled(to: timescale).ticks, timescale: timescale)
    }
}
