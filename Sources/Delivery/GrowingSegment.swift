import NIOCore
import Packager

/// A live segment sent while the packager writes it (low-latency DASH, DASH-IF "Low-latency Modes
/// for DASH": chunked transfer of a CMAF segment): the parts it holds already, then each part as
/// it closes, ending when the segment does. The bytes sent are the complete segment's, in
/// order: the window keeps a segment as its parts' buffers (``LiveRenditionWindow/segment(msn:)``).
struct GrowingSegment: Sendable {
    let rendition: any LiveRenditionWindow
    let msn: Int
    /// The longest wait for the next part: a blocking request's (three target durations). A
    /// segment that does not grow for that long has lost its publisher.
    let timeout: Duration
    /// The requester's event loop, where the waits' timers run.
    let loop: any EventLoop

    /// Writes the segment as it grows; throws ``DeliveryError/segmentStalled(msn:)`` if it stops
    /// growing before it is complete.
    func send(_ write: (ByteBuffer) async throws -> Void) async throws {
        var next = 0
        while true {
            if let whole = rendition.segment(msn: msn) {
                for buffer in whole.dropFirst(next) { try await write(buffer) }
                return
            }
            if let part = rendition.part(msn: msn, index: next) {
                try await write(part)
                next += 1
                continue
            }
            guard await grows(past: next) else { throw DeliveryError.segmentStalled(msn: msn) }
        }
    }

    /// Waits until part `index` exists or the segment is complete (its last part may have been
    /// the one before), whichever comes first.
    private func grows(past index: Int) async -> Bool {
        let (rendition, msn, timeout, loop) = (rendition, msn, timeout, loop)
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await rendition.wait(for: .part(msn: msn, index: index), timeout: timeout, on: loop) }
            group.addTask { await rendition.wait(for: .segment(msn: msn), timeout: timeout, on: loop) }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}

extension PlaybackResponse {
    /// A segment sent as it is written: chunked, `immutable` like the complete segment (the bytes
    /// end up the same, and a cache keeps no answer that ends without its last chunk), without
    /// an entity tag (it hashes the length, not known yet) or byte ranges.
    static func growing(_ segment: GrowingSegment) -> PlaybackResponse {
        PlaybackResponse(
            status: .ok, headers: [.contentType: m4s, .cacheControl: CachePolicy.immutable],
            body: .chunked { write in try await segment.send(write) })
    }
}
