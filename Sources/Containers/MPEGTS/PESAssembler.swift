/// Collects the PES packet of one PID from transport packet payloads (ISO/IEC 13818-1 §2.4.3.6):
/// a PES starts in a packet with `payload_unit_start_indicator` set and ends when its
/// `PES_packet_length` is reached or, when that is 0 (unbounded video), at the next start.
struct PESAssembler {
    enum Event {
        /// A whole PES packet, header included.
        case complete([UInt8])
        /// A PES that could not be completed, and why.
        case dropped(ContainersError)
    }

    private var bytes: [UInt8] = []
    private var active = false
    /// 6 + `PES_packet_length`, once the first six bytes are in; nil while unknown or unbounded.
    private var expectedSize: Int?

    var isActive: Bool { active }

    /// Appends one packet's payload. A start completes the PES in progress (or drops it, when it is
    /// shorter than its stated length); bytes before the first start are ignored.
    mutating func push(_ payload: ArraySlice<UInt8>, unitStart: Bool, maxSize: Int) -> [Event] {
        var events: [Event] = []
        if unitStart {
            if let event = finish() { events.append(event) }
            active = true
        }
        guard active else { return events }
        bytes += payload
        if expectedSize == nil, bytes.count >= 6 {
            guard bytes[0] == 0, bytes[1] == 0, bytes[2] == 1 else {
                events.append(.dropped(.invalid(what: "PES packet", reason: "packet_start_code_prefix \(bytes[0]) \(bytes[1]) \(bytes[2])")))
                clear()
                return events
            }
            let length = Int(bytes[4]) << 8 | Int(bytes[5])
            if length > 0 { expectedSize = 6 + length }
        }
        if let expectedSize, bytes.count >= expectedSize {
            // Bytes past PES_packet_length in the last packet are not part of the PES.
            events.append(.complete(Array(bytes.prefix(expectedSize))))
            clear()
        } else if bytes.count > maxSize {
            events.append(.dropped(.limitExceeded(what: "PES packet size", value: bytes.count, limit: maxSize)))
            clear()
        }
        return events
    }

    /// Ends the PES in progress: complete when unbounded, dropped when shorter than stated.
    mutating func finish() -> Event? {
        guard active else { return nil }
        defer { clear() }
        if let expectedSize {
            return .dropped(.truncated(what: "PES packet", needed: expectedSize, available: bytes.count))
        }
        guard bytes.count >= 6 else { return .dropped(.truncated(what: "PES header", needed: 6, available: bytes.count)) }
        return .complete(bytes)
    }

    /// Abandons the PES in progress (continuity error, lost sync); returns whether one was.
    mutating func abort() -> Bool {
        defer { clear() }
        return active
    }

    private mutating func clear() {
        bytes = []
        active = false
        expectedSize = nil
    }
}
