import Archive

/// `--archive-retention` and `--archive-max-bytes`: how much of the declared channels'
/// archive is kept.
enum RetentionOptions {
    /// A duration: whole units of `s`, `m`, `h` or `d` (`90m`, `36h`, `14d`), or bare seconds.
    /// From an hour (less would cut into the live window's DVR reach) to ten years.
    static func milliseconds(_ text: String) -> Int64? {
        guard let (number, unit) = split(text, units: ["s": 1, "m": 60, "h": 3_600, "d": 86_400]) else { return nil }
        let seconds = number.multipliedReportingOverflow(by: unit)
        guard !seconds.overflow, (3_600...3_650 * 86_400).contains(seconds.partialValue) else { return nil }
        return seconds.partialValue * 1_000
    }

    /// A size: whole `K`, `M`, `G` or `T` (powers of 1024), or bare bytes; at least `minimum`
    /// (1 GiB, a few minutes of a ladder, for an archive), at most 1 PiB.
    static func bytes(_ text: String, minimum: Int64 = 1 << 30) -> Int64? {
        guard let (number, unit) = split(text, units: ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]) else { return nil }
        let bytes = number.multipliedReportingOverflow(by: unit)
        guard !bytes.overflow, (minimum...(1 << 50)).contains(bytes.partialValue) else { return nil }
        return bytes.partialValue
    }

    private static func split(_ text: String, units: [Character: Int64]) -> (Int64, Int64)? {
        guard !text.isEmpty, text.count <= 20 else { return nil }
        var digits = Substring(text)
        var unit: Int64 = 1
        if let last = text.last, let factor = units[last] ?? units[Character(last.uppercased())] {
            digits = digits.dropLast()
            unit = factor
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let number = Int64(digits) else { return nil }
        return (number, unit)
    }
}
