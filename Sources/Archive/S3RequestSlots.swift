import NIOCore

/// At most a fixed number of requests in flight; the others wait for a free slot, first come
/// first served, for as long as it takes. The HTTP client's own queue gives up on a request that
/// waits longer than the connect timeout for a connection, which a burst of segment uploads
/// would hit.
///
/// A task cancelled while it waits keeps its place and fails once it has its slot.
actor S3RequestSlots {
    private var free: Int
    private var waiting = CircularBuffer<CheckedContinuation<Void, Never>>()

    init(_ count: Int) {
        precondition(count > 0, "at least one request slot")
        free = count
    }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if let next = waiting.popFirst() {
            next.resume()
        } else {
            free += 1
        }
    }
}
