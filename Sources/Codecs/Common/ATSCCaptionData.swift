import MediaCore

/// Closed-caption data of ATSC A/53 Part 4 (§6.2.3, `cc_data()`), as carried in an H.264
/// `user_data_registered_itu_t_t35` SEI message (ITU-T H.264 §D.1.6): ITU-T T.35 country code
/// 0xB5 (United States), provider code 0x0031 (ATSC), user identifier "GA94" and
/// `user_data_type_code` 3, then `cc_count` byte pairs of CEA-608 (CTA-608-E) or CEA-708
/// (CTA-708-E) data.
public struct ATSCCaptionData: Sendable, Hashable {
    /// One `cc_data` construct: `cc_valid`, `cc_type` and its two bytes.
    public struct Construct: Sendable, Hashable {
        /// `cc_type` (A/53 Part 4 Table 6.5): 0 is CEA-608 field 1 (CC1, CC2), 1 is field 2 (CC3,
        /// CC4), 2 and 3 are CEA-708 DTVCC packet data and start.
        public var type: UInt8
        public var isValid: Bool
        public var data1: UInt8
        public var data2: UInt8

        public init(type: UInt8, isValid: Bool, data1: UInt8, data2: UInt8) {
            self.type = type
            self.isValid = isValid
            self.data1 = data1
            self.data2 = data2
        }

    }

    /// `process_cc_data_flag`: the constructs are to be decoded.
    public var processCCData: Bool
    public var constructs: [Construct]

    public init(processCCData: Bool, constructs: [Construct]) {
        self.processCCData = processCCData
        self.constructs = constructs
    }

    /// The bytes before `cc_data()` in the T.35 payload: country, provider, "GA94", type 3.
    static let prefix: [UInt8] = [0xB5, 0x00, 0x31, 0x47, 0x41, 0x39, 0x34, 0x03]

    /// The caption data of a `user_data_registered_itu_t_t35` payload, or nil when the payload is
    /// other registered user data (AFD, bar data, another provider's). `cc_count` is five bits, so
    /// at most 31 constructs: the format bounds the count.
    public init?(t35Payload payload: [UInt8]) throws(CodecsError) {
        guard payload.starts(with: Self.prefix) else { return nil }
        var cursor = ByteCursor(payload.dropFirst(Self.prefix.count), what: "ATSC cc_data")
        let flags = try cursor.u8()
        _ = try cursor.u8()  // em_data
        let count = Int(flags & 0x1F)
        var constructs: [Construct] = []
        constructs.reserveCapacity(count)
        for _ in 0..<count {
            let marker = try cursor.u8()
            let data1 = try cursor.u8()
            let data2 = try cursor.u8()
            constructs.append(Construct(type: marker & 0x03, isValid: marker & 0x04 != 0, data1: data1, data2: data2))
        }
        self.init(processCCData: flags & 0x40 != 0, constructs: constructs)
    }
}

extension ATSCCaptionData {
    /// The caption channels the constructs speak on; none unless `process_cc_data_flag` is set.
    ///
    /// - CEA-608 (`cc_type` 0, field 1; 1, field 2): a control code names its data channel
    ///   (CTA-608-E §D.6): a first byte of 0x10 to 0x17, once its parity bit is dropped, is data
    ///   channel 1, 0x18 to 0x1F channel 2. Field 1 holds CC1 and CC2, field 2 CC3 and CC4.
    ///   Characters name no channel, but every caption starts with a control code (a mode, a
    ///   preamble address). Field 2's XDS (first bytes 0x01 to 0x0F) is not captions.
    /// - CEA-708 (`cc_type` 3 starts a DTVCC packet, CTA-708-E §5): the packet's second byte is
    ///   its first service block header (§6.2.1), `service_number` in its top three bits; 7 says
    ///   that the number is in the next byte (§6.2.2, the first of the next construct, `cc_type`
    ///   2), and 0 is the null service, padding. Later blocks of a packet are not looked at: an
    ///   encoder that carries several services sends each at the start of packets too.
    public var channels: CaptionChannels {
        var found = CaptionChannels()
        guard processCCData else { return found }
        for (i, construct) in constructs.enumerated() where construct.isValid {
            switch construct.type {
            case 0, 1:
                let first = construct.data1 & 0x7F
                guard (0x10...0x1F).contains(first) else { continue }
                found.insert608((construct.type == 1 ? 3 : 1) + (first >= 0x18 ? 1 : 0))
            case 3:
                let service = Int(construct.data2 >> 5)
                if service == 7 {
                    guard i + 1 < constructs.count, constructs[i + 1].isValid, constructs[i + 1].type == 2 else { continue }
                    found.insert708(Int(constructs[i + 1].data1 & 0x3F))
                } else {
                    found.insert708(service)
                }
            default:
                continue
            }
        }
        return found
    }
}
