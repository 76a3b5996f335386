import MediaCore

/// Timestamp arithmetic of the 33-bit MPEG-TS clock (ISO/IEC 13818-1 §2.4.3.7).
enum TSTime {
    /// `value` modulo 2^33, as written in PTS, DTS and PCR fields.
    static func wrap(_ value: Int64) -> UInt64 { UInt64(value & (TS.timestampModulus - 1)) }

    /// `value * to / from`, rounded to the nearest tick (halves up). Audio times go from the
    /// sample rate to 90 kHz and back: with nearest rounding both ways a sample count survives
    /// the round trip for every rate below 90 kHz, where floor rounding would lose one.
    static func rescaleNearest(_ value: Int64, from: UInt32, to: UInt32) -> Int64 {
        guard from != to else { return value }
        guard to <= UInt32.max / 2 else { return MediaTime.rescale(value, from: from, to: to) }
        // floor(2x) from MediaTime's exact rescale, then floor((floor(2x) + 1) / 2) = floor(x + 1/2).
        let twice = MediaTime.rescale(value, from: from, to: to * 2)
        return (twice + 1) >> 1
    }
}

/// Extends 33-bit timestamps to continuous 64-bit ones. The first is taken to be the value
/// congruent modulo 2^33 nearest to `reference`; each later one the value nearest to the previous
/// result, so a wrap (every 26.5 hours) continues the count and small backward steps (B-frames,
/// interleaved streams) stay small.
struct TSTimestampUnwrapper {
    private let reference: Int64
    private var last: Int64?

    init(reference: Int64) { self.reference = reference }

    mutating func unwrap(_ raw: UInt64) -> Int64 {
        let value = nearest(raw)
        last = value
        return value
    }

    /// What `unwrap` would return, without taking it as the previous result: for a time that is
    /// not a timestamp of the stream (an SCTE-35 cue's splice time, seconds ahead).
    func nearest(_ raw: UInt64) -> Int64 {
        let modulus = TS.timestampModulus
        let base = last ?? reference
        let baseMod = ((base % modulus) + modulus) % modulus
        var delta = Int64(raw & UInt64(modulus - 1)) - baseMod  // in (-2^33, 2^33)
        if delta >= modulus / 2 { delta -= modulus }
        if delta < -modulus / 2 { delta += modulus }
        return base + delta
    }
}
