import MediaCore

extension Rational {
    /// True when `self` > `other`, compared exactly in 128 bits. Both must have positive denominators.
    func isFaster(than other: Rational) -> Bool {
        numerator.multipliedFullWidth(by: other.denominator) > other.numerator.multipliedFullWidth(by: denominator)
    }

    /// The same rate in lowest terms (60000/2002 → 30000/1001).
    var reduced: Rational {
        var (a, b) = (numerator.magnitude, denominator.magnitude)
        while b != 0 { (a, b) = (b, a % b) }
        guard a > 1 else { return self }
        return Rational(numerator / Int64(a), denominator / Int64(a))
    }

    /// True when both terms are positive.
    var isPositive: Bool { numerator > 0 && denominator > 0 }
}
