import NIOCore

/// Writes 188-byte transport packets (ISO/IEC 13818-1 §2.4.3.2): header, adaptation field with
/// `random_access_indicator`, PCR and stuffing (§2.4.3.4), payload.
enum TSPacketWriter {
    /// Writes one packet carrying as much of `payload` as fits and consumes those bytes. When the
    /// payload does not fill the packet the adaptation field is stuffed with 0xFF (§2.4.3.5: PES
    /// packets are padded this way, not with payload bytes). With an empty payload the packet is
    /// adaptation field only, as PCR-only packets are.
    static func writePacket(
        pid: UInt16, payloadUnitStart: Bool, continuityCounter: UInt8, pcrBase: UInt64? = nil, randomAccess: Bool = false,
        payload: inout ByteBuffer, into out: inout ByteBuffer
    ) {
        // adaptation_field_length (the bytes after the length byte), nil when there is no field.
        var fieldLength: Int? = (pcrBase != nil || randomAccess) ? 1 + (pcrBase != nil ? 6 : 0) : nil
        let capacity = TS.maxPayload - (fieldLength.map { $0 + 1 } ?? 0)
        let take = min(capacity, payload.readableBytes)
        var stuffing = capacity - take
        if stuffing > 0, fieldLength == nil {
            fieldLength = 0  // the length byte alone pads one byte
            stuffing -= 1
        }
        if stuffing > 0, fieldLength == 0 {
            fieldLength = 1  // the flags byte
            stuffing -= 1
        }
        if stuffing > 0 { fieldLength! += stuffing }

        let control: UInt8 = (fieldLength != nil ? 0x20 : 0) | (take > 0 ? 0x10 : 0)
        out.writeInteger(TS.syncByte)
        out.writeInteger((payloadUnitStart ? 0x4000 : 0) | (pid & 0x1FFF))
        out.writeInteger(control | (continuityCounter & 0x0F))
        if let fieldLength {
            out.writeInteger(UInt8(fieldLength))
            if fieldLength > 0 {
                out.writeInteger((randomAccess ? 0x40 : 0) | (pcrBase != nil ? 0x10 : 0) as UInt8)
                if let pcrBase { writePCR(base: pcrBase, into: &out) }
                out.writeRepeatingByte(0xFF, count: stuffing)
            }
        }
        if take > 0, var chunk = payload.readSlice(length: take) { out.writeBuffer(&chunk) }
    }

    /// `program_clock_reference_base` (33 bits), 6 reserved bits, `program_clock_reference_extension`
    /// (9 bits, written 0): §2.4.3.5, Table 2-6.
    static func writePCR(base: UInt64, into out: inout ByteBuffer) {
        let b = base & UInt64(TS.timestampModulus - 1)
        out.writeInteger(UInt32(truncatingIfNeeded: b >> 1))
        out.writeInteger(UInt8(truncatingIfNeeded: (b & 1) << 7) | 0x7E)
        out.writeInteger(UInt8(0))
    }

    /// Writes a PSI section: `pointer_field` 0, the section across as many packets as it needs,
    /// the last packet filled with 0xFF stuffing bytes (§2.4.4.1, §2.4.4.2).
    static func writeSection(_ section: [UInt8], pid: UInt16, continuityCounter: inout UInt8, into out: inout ByteBuffer) {
        var payload = ByteBuffer(bytes: [0] + section)
        var first = true
        while payload.readableBytes > 0 {
            let take = min(TS.maxPayload, payload.readableBytes)
            out.writeInteger(TS.syncByte)
            out.writeInteger((first ? 0x4000 : 0) | (pid & 0x1FFF))
            out.writeInteger(0x10 | continuityCounter)
            if var chunk = payload.readSlice(length: take) { out.writeBuffer(&chunk) }
            out.writeRepeatingByte(0xFF, count: TS.maxPayload - take)
            continuityCounter = (continuityCounter + 1) & 0x0F
            first = false
        }
    }
}
