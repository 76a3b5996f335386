/// A positive rational number, used for frame rates (30000/1001) and sample aspect ratios.
public struct Rational: Sendable, Hashable {
    public var numerator: Int64
    public var denominator: Int64

    public init(_ numerator: Int64, _ denominator: Int64) {
        precondition(denominator != 0, "denominator must not be zero")
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Decimal rendering with three decimals, as HLS FRAME-RATE wants ("29.970").
    public var decimalString: String {
        let thousandths = (numerator * 1000 + denominator / 2) / denominator
        let whole = thousandths / 1000
        let frac = thousandths % 1000
        let fracString = String(frac)
        return "\(whole)." + String(repeating: "0", count: 3 - fracString.count) + fracString
    }
}
