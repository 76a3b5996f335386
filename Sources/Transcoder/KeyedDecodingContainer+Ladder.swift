import MediaCore

extension KeyedDecodingContainer {
    /// A bitrate written as a number of bits per second or as `"4M"` / `"700k"` (``BitrateNotation``).
    func decodeBitrate(forKey key: Key) throws -> Int {
        if let value = try? decode(Int.self, forKey: key) { return value }
        let text: String
        do {
            text = try decode(String.self, forKey: key)
        } catch {
            throw DecodingError.typeMismatch(Int.self, .init(
                codingPath: codingPath + [key],
                debugDescription: "expected a bitrate such as 4000000, \"4M\" or \"700k\"",
                underlyingError: error))
        }
        guard let value = BitrateNotation.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "invalid bitrate \"\(text)\": expected bits per second, or a number with a k or M suffix")
        }
        return value
    }

    /// A frame rate written as a whole number or as `"30"` / `"30000/1001"` (``FrameRateNotation``).
    func decodeFrameRateIfPresent(forKey key: Key) throws -> Rational? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let whole = try? decode(Int64.self, forKey: key), whole > 0, whole < 1_000_000_000 {
            return Rational(whole, 1)
        }
        guard let text = try? decode(String.self, forKey: key), let rate = FrameRateNotation.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "invalid frame rate: expected a whole number or \"num/den\", e.g. 30 or \"30000/1001\"")
        }
        return rate
    }
}
