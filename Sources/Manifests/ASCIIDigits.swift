/// Builds short ASCII strings (numbers, dates, durations) byte by byte, straight into the String's
/// storage: playlists are rendered on the request path, and most of their text is such values.
enum ASCIIDigits {
    struct Writer {
        fileprivate var buffer: UnsafeMutableBufferPointer<UInt8>
        fileprivate var count = 0

        mutating func append(_ byte: UInt8) {
            precondition(count < buffer.count, "ASCII buffer overflow")
            buffer[count] = byte
            count += 1
        }

        /// `value` in decimal, left-padded with zeros to at least `width` digits.
        mutating func appendDecimal(_ value: UInt64, width: Int = 1) {
            let digits = Self.digitCount(value)
            for _ in digits..<max(digits, width) { append(UInt8(ascii: "0")) }
            precondition(count + digits <= buffer.count, "ASCII buffer overflow")
            var rest = value
            var i = count + digits
            repeat {
                i -= 1
                buffer[i] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            count += digits
        }

        /// `String(value)` left-padded with zeros to `width` characters (a minus sign counts as
        /// one, and the zeros go before it).
        mutating func appendPadded(_ value: Int64, width: Int) {
            let digits = Self.digitCount(value.magnitude)
            let length = digits + (value < 0 ? 1 : 0)
            for _ in length..<max(length, width) { append(UInt8(ascii: "0")) }
            if value < 0 { append(UInt8(ascii: "-")) }
            appendDecimal(value.magnitude)
        }

        private static func digitCount(_ value: UInt64) -> Int {
            var digits = 1
            var rest = value / 10
            while rest > 0 {
                digits += 1
                rest /= 10
            }
            return digits
        }
    }

    /// A string of at most `capacity` ASCII bytes written by `body`.
    static func string(capacity: Int, _ body: (inout Writer) -> Void) -> String {
        String(unsafeUninitializedCapacity: capacity) { buffer in
            var writer = Writer(buffer: buffer)
            body(&writer)
            return writer.count
        }
    }
}
