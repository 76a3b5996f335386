import Hub

/// A FIFO of hub events that pops from the front without shifting the array each time.
struct HeldEvents: Sendable {
    private var events: [HubEvent] = []
    private var head = 0

    var count: Int { events.count - head }
    var first: HubEvent? { head < events.count ? events[head] : nil }

    mutating func append(_ event: HubEvent) { events.append(event) }

    mutating func removeFirst() {
        head += 1
        if head == events.count {
            events.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1_024 {
            events.removeFirst(head)
            head = 0
        }
    }
}
