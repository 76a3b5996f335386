/// Integer media time: a tick count in an explicit timescale (ticks per second).
///
/// Media never uses floating-point seconds. Video uses 90 kHz, audio its sample rate, RTMP 1 kHz.
public struct MediaTime: Sendable, Hashable {
    public var ticks: Int64
    public var timescale: UInt32

    public init(ticks: Int64, timescale: UInt32) {
        precondition(timescale > 0, "timescale must be positive")
        self.ticks = ticks
        self.timescale = timescale
    }

    public static let videoTimescale: UInt32 = 90_000
    public static let rtmpTimescale: UInt32 = 1_000

    /// Rescales to another timescale, rounding toward negative infinity, without overflow.
    public func rescaled(to newTimescale: UInt32) -> MediaTime {
        MediaTime(ticks: Self.rescale(ticks, from: timescale, to: newTimescale), timescale: newTimescale)
    }

    /// `value * to / from`, floor-rounded, computed in 128 bits so no intermediate overflows.
    public static func rescale(_ value: Int64, from: UInt32, to: UInt32) -> Int64 {
        if from == to { return value }
        let product = value.multipliedFullWidth(by: Int64(to))
        let (q, r) = Int64(from).dividingFullWidth(product)
        // Floor toward negative infinity.
        return (r != 0 && (r < 0) != (from < 0)) ? q - 1 : q
    }

    /// Whole milliseconds, floor-rounded (for logs and wall-clock arithmetic).
    public var milliseconds: Int64 { Self.rescale(ticks, from: timescale, to: 1_000) }
}

extension MediaTime: Comparable {
    public static func < (lhs: MediaTime, rhs: MediaTime) -> Bool {
        if lhs.timescale == rhs.timescale { return lhs.ticks < rhs.ticks }
        // Compare a/b < c/d as a*d < c*b in 128 bits.
        let l = lhs.ticks.multipliedFullWidth(by: Int64(rhs.timescale))
        let r = rhs.ticks.multipliedFullWidth(by: Int64(lhs.timescale))
        return (l.high, l.low) < (r.high, r.low)
    }
}

extension MediaTime: CustomStringConvertible {
    public var description: String { "\(ticks)/\(timescale)" }
}
