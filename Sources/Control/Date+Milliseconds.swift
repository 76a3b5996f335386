import Foundation

extension Date {
    /// The instant rounded to the nearest millisecond.
    ///
    /// Records carry millisecond timestamps: PostgreSQL keeps microseconds (and its driver truncates
    /// when encoding) and SQLite keeps a Double, so a `Date` read back differs from the one written
    /// by up to a microsecond. Rounding both to milliseconds, on the way in and on the way out,
    /// makes a record returned by a create equal to the same record read later, on either backend.
    var millisecondRounded: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    /// Now, in milliseconds.
    static func nowMilliseconds() -> Date { Date().millisecondRounded }

    /// Unix epoch milliseconds, rounded down.
    public var unixMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }
}
