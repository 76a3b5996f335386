/// One transport stream packet as read: the 4-byte header (ISO/IEC 13818-1 §2.4.3.2, Table 2-2)
/// and the adaptation field flags the demuxer uses (§2.4.3.4, Table 2-6).
struct TSPacket {
    var transportError: Bool
    var payloadUnitStart: Bool
    var pid: UInt16
    /// `transport_scrambling_control`: 0 means not scrambled.
    var scrambling: UInt8
    /// `adaptation_field_control` has its payload bit set (`01` or `11`).
    var hasPayload: Bool
    var continuityCounter: UInt8
    /// `discontinuity_indicator`: the continuity counter (and the time base) may jump here.
    var discontinuity: Bool
    var randomAccess: Bool
    /// `program_clock_reference_base` (90 kHz, 33 bits), when `PCR_flag` is set.
    var pcrBase: UInt64?
    var payload: ArraySlice<UInt8>

    /// Parses a 188-byte packet that starts with the sync byte. Throws for a packet whose fields
    /// contradict each other (reserved `adaptation_field_control`, adaptation field past the end).
    init(_ bytes: [UInt8]) throws(ContainersError) {
        precondition(bytes.count == TS.packetSize && bytes[0] == TS.syncByte)
        transportError = bytes[1] & 0x80 != 0
        payloadUnitStart = bytes[1] & 0x40 != 0
        pid = UInt16(bytes[1] & 0x1F) << 8 | UInt16(bytes[2])
        scrambling = bytes[3] >> 6
        let control = (bytes[3] >> 4) & 0x03
        continuityCounter = bytes[3] & 0x0F
        hasPayload = control & 0x01 != 0
        discontinuity = false
        randomAccess = false
        pcrBase = nil
        guard control != 0 else { throw .invalid(what: "TS packet", reason: "adaptation_field_control 00 (reserved)") }
        var payloadStart = 4
        if control & 0x02 != 0 {
            let length = Int(bytes[4])
            // §2.4.3.5: 0...182 with a payload, exactly 183 without.
            let maxLength = hasPayload ? 182 : 183
            guard length <= maxLength else {
                throw .invalid(what: "TS adaptation field", reason: "adaptation_field_length \(length) > \(maxLength)")
            }
            if length > 0 {
                let flags = bytes[5]
                discontinuity = flags & 0x80 != 0
                randomAccess = flags & 0x40 != 0
                if flags & 0x10 != 0 {
                    guard length >= 7 else { throw .truncated(what: "TS adaptation field PCR", needed: 7, available: length) }
                    pcrBase = UInt64(bytes[6]) << 25 | UInt64(bytes[7]) << 17 | UInt64(bytes[8]) << 9 | UInt64(bytes[9]) << 1
                        | UInt64(bytes[10] >> 7)
                }
            }
            payloadStart = 5 + length
        }
        payload = hasPayload ? bytes[payloadStart...] : []
    }
}

/// Continuity counter checking for one PID (§2.4.3.3): the counter increments by one, modulo 16,
/// on each packet with a payload; one duplicate packet may follow; `discontinuity_indicator`
/// allows a jump.
struct ContinuityCounter {
    enum Verdict { case inOrder, duplicate, discontinuity }
    private var last: UInt8?

    mutating func check(_ packet: TSPacket) -> Verdict {
        // "The continuity_counter shall not be incremented when adaptation_field_control is 00 or 10."
        guard packet.hasPayload else { return .inOrder }
        defer { last = packet.continuityCounter }
        guard let last, !packet.discontinuity else { return .inOrder }
        if packet.continuityCounter == last { return .duplicate }
        return packet.continuityCounter == (last + 1) & 0x0F ? .inOrder : .discontinuity
    }

    /// Forgets the last counter, after a loss of sync.
    mutating func reset() { last = nil }
}
