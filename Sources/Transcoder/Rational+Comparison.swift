import MediaCore

extension Rational {
    /// True when `self` > `other`, compared exactly in 128 bits. Both must have positive denominators.
    func isFaster(than other: Rational) -> Bool {
        numerator.multipliedFullWidth(by: other.denominator) > other.numerator.multipliedFullWidth(by: denominator)
    }

    /// True when both terms are positive.
    var isPositive: Bool { numerator > 0 && denominator > 0 }
}
