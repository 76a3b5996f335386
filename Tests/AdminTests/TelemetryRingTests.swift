@testable import Admin
import Control
import Foundation
import Testing

@Suite struct TelemetryRingTests {
    static func sample(_ n: Int) -> TelemetryHistory.Sample {
        TelemetryHistory.Sample(at: Date(timeIntervalSince1970: Double(n)), bitrate: nil, viewers: n, errors: 0)
    }

    /// Below capacity every sample is kept; beyond it the oldest go, and the order stays oldest first.
    @Test func keepsTheLastSamplesOldestFirst() {
        var ring = TelemetryRing(capacity: 3)
        #expect(ring.samples.isEmpty)
        ring.append(Self.sample(1))
        ring.append(Self.sample(2))
        #expect(ring.samples.map(\.viewers) == [1, 2])
        for n in 3...7 { ring.append(Self.sample(n)) }
        #expect(ring.samples.map(\.viewers) == [5, 6, 7])
        ring.append(Self.sample(8))
        #expect(ring.samples.map(\.viewers) == [6, 7, 8])
    }
}
