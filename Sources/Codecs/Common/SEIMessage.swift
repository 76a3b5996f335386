/// One SEI message of an H.264 or HEVC SEI NAL unit (ITU-T H.264 §7.3.2.3.1, H.265 §7.3.5,
/// `sei_message()`, the same syntax in both): its `payloadType` and its payload bytes (RBSP,
/// emulation prevention already removed).
public struct SEIMessage: Sendable, Hashable {
    /// `user_data_registered_itu_t_t35` (H.264 §D.1.6, H.265 §D.2.6), which carries ATSC A/53
    /// captions.
    public static let userDataRegisteredITUTT35 = 4

    public var payloadType: Int
    public var payload: [UInt8]

    public init(payloadType: Int, payload: [UInt8]) {
        self.payloadType = payloadType
        self.payload = payload
    }

    /// SEI messages in one SEI NAL unit. H.264 sets no bound; an encoder writes a handful per
    /// access unit (buffering period, picture timing, recovery point, user data, x264's settings),
    /// so 64 stops a hostile unit of thousands of one-byte messages.
    public static let maximumPerNALUnit = 64

    /// The messages of an SEI NAL unit, header byte included (`nal_unit_type` 6). Each
    /// `payloadType` and `payloadSize` is a run of 0xFF bytes plus a last byte (§7.3.2.3.1); the
    /// messages end at the RBSP trailing bits (§7.3.2.11).
    public static func parse<C: Collection>(nalUnit: C) throws(CodecsError) -> [SEIMessage] where C.Element == UInt8 {
        guard let header = nalUnit.first else { throw .truncated(what: "SEI NAL unit", needed: 1, available: 0) }
        guard H264NALUnitType(header: header) == .sei else {
            throw .invalid(what: "SEI NAL unit", reason: "nal_unit_type \(header & 0x1F) is not 6")
        }
        return try parse(rbsp: unescapeRBSP(nalUnit.dropFirst()))
    }

    /// The messages of an HEVC SEI NAL unit, its two header bytes included (`nal_unit_type` 39,
    /// prefix, or 40, suffix; H.265 §7.3.1.2).
    public static func parse<C: Collection>(hevcNALUnit nalUnit: C) throws(CodecsError) -> [SEIMessage] where C.Element == UInt8 {
        guard nalUnit.count >= 2, let header = nalUnit.first else {
            throw .truncated(what: "HEVC SEI NAL unit", needed: 2, available: nalUnit.count)
        }
        let type = HEVCNALUnitType.type(header: header)
        guard type == HEVCNALUnitType.prefixSEI || type == HEVCNALUnitType.suffixSEI else {
            throw .invalid(what: "HEVC SEI NAL unit", reason: "nal_unit_type \(type) is not 39 or 40")
        }
        return try parse(rbsp: unescapeRBSP(nalUnit.dropFirst(2)))
    }

    private static func parse(rbsp: [UInt8]) throws(CodecsError) -> [SEIMessage] {
        var messages: [SEIMessage] = []
        var i = 0
        // more_rbsp_data(): what is left is more than the trailing bits (0x80 then zero bytes).
        while i < rbsp.count, !(rbsp[i] == 0x80 && rbsp[(i + 1)...].allSatisfy { $0 == 0 }) {
            guard messages.count < maximumPerNALUnit else {
                throw .limitExceeded(what: "SEI messages", value: messages.count + 1, limit: maximumPerNALUnit)
            }
            let payloadType = try ffCoded(rbsp, &i, "SEI payloadType")
            let payloadSize = try ffCoded(rbsp, &i, "SEI payloadSize")
            guard rbsp.count - i >= payloadSize else {
                throw .truncated(what: "SEI payload type \(payloadType)", needed: i + payloadSize, available: rbsp.count)
            }
            messages.append(SEIMessage(payloadType: payloadType, payload: Array(rbsp[i..<i + payloadSize])))
            i += payloadSize
        }
        return messages
    }

    /// A value written as 0xFF bytes, each adding 255, and a last byte below 0xFF (§7.3.2.3.1).
    /// It cannot exceed 255 times the bytes left, so it cannot overflow.
    private static func ffCoded(_ bytes: [UInt8], _ i: inout Int, _ what: String) throws(CodecsError) -> Int {
        var value = 0
        while i < bytes.count {
            let byte = bytes[i]
            i += 1
            value += Int(byte)
            if byte != 0xFF { return value }
        }
        throw .truncated(what: what, needed: i + 1, available: bytes.count)
    }
}
