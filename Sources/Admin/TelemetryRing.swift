import Control

/// A channel's last samples, oldest first: a bounded ring that overwrites the oldest.
struct TelemetryRing: Sendable {
    let capacity: Int
    private var storage: [TelemetryHistory.Sample] = []
    /// Where the next sample goes once the ring is full.
    private var next = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a ring holds at least one sample")
        self.capacity = capacity
        storage.reserveCapacity(capacity)
    }

    mutating func append(_ sample: TelemetryHistory.Sample) {
        if storage.count < capacity {
            storage.append(sample)
        } else {
            storage[next] = sample
            next = (next + 1) % capacity
        }
    }

    /// Oldest first.
    var samples: [TelemetryHistory.Sample] { Array(storage[next...] + storage[..<next]) }
}
