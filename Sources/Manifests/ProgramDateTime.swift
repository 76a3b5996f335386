/// `EXT-X-PROGRAM-DATE-TIME` values (RFC 8216bis §4.4.4.6): ISO 8601 / RFC 3339 date-times,
/// carried in this module as Unix epoch milliseconds and converted with integer arithmetic
/// (the civil-from-days algorithm), without Foundation.
enum ProgramDateTime {
    private static let millisecondsPerDay: Int64 = 86_400_000

    /// `2026-11-22T10:00:00.000Z`: always UTC, always milliseconds.
    static func format(_ epochMilliseconds: Int64) -> String {
        let days = floorDivide(epochMilliseconds, millisecondsPerDay)
        let ofDay = epochMilliseconds - days * millisecondsPerDay
        let (year, month, day) = civil(fromDays: days)
        let hour = ofDay / 3_600_000
        let minute = ofDay / 60_000 % 60
        let second = ofDay / 1_000 % 60
        let millisecond = ofDay % 1_000
        return ASCIIDigits.string(capacity: 40) { out in
            out.appendPadded(year, width: 4)
            out.append(UInt8(ascii: "-"))
            out.appendPadded(month, width: 2)
            out.append(UInt8(ascii: "-"))
            out.appendPadded(day, width: 2)
            out.append(UInt8(ascii: "T"))
            out.appendPadded(hour, width: 2)
            out.append(UInt8(ascii: ":"))
            out.appendPadded(minute, width: 2)
            out.append(UInt8(ascii: ":"))
            out.appendPadded(second, width: 2)
            out.append(UInt8(ascii: "."))
            out.appendPadded(millisecond, width: 3)
            out.append(UInt8(ascii: "Z"))
        }
    }

    /// Parses `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm|±hhmm|±hh)`. Fraction digits past the
    /// millisecond are truncated. ffmpeg writes `+0000`, Apple's tools `Z` or `+00:00`.
    static func parse(_ text: Substring) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 40,
              bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = number(bytes[0..<4]), let month = number(bytes[5..<7]),
              let day = number(bytes[8..<10]), let hour = number(bytes[11..<13]),
              let minute = number(bytes[14..<16]), let second = number(bytes[17..<19]),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var millisecond: Int64 = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, let digit = number(bytes[index..<index + 1]) {
                if digits < 3 { millisecond = millisecond * 10 + digit }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 3) { millisecond *= 10 }
        }
        guard index < bytes.count else { return nil }
        var offsetMinutes: Int64 = 0
        let zone = bytes[index...]
        if zone.count == 1, zone.first == UInt8(ascii: "Z") || zone.first == UInt8(ascii: "z") {
            offsetMinutes = 0
        } else if let sign = zone.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            let rest = Array(zone.dropFirst())
            let hours: Int64?
            let minutes: Int64?
            switch rest.count {
            case 2: (hours, minutes) = (number(rest[0..<2]), 0)
            case 4: (hours, minutes) = (number(rest[0..<2]), number(rest[2..<4]))
            case 5 where rest[2] == UInt8(ascii: ":"): (hours, minutes) = (number(rest[0..<2]), number(rest[3..<5]))
            default: return nil
            }
            guard let hours, let minutes, hours < 24, minutes < 60 else { return nil }
            offsetMinutes = (hours * 60 + minutes) * (sign == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60 + second
        return seconds * 1_000 + millisecond
    }

    // Howard Hinnant's `civil_from_days` / `days_from_civil` (proleptic Gregorian calendar).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return digits.isEmpty ? nil : value
    }

}
