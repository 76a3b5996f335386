/// `nal_unit_type` of H.264 (ITU-T H.264 §7.4.1, Table 7-1).
public enum H264NALUnitType: UInt8, Sendable, Hashable {
    case nonIDRSlice = 1
    case sliceDataPartitionA = 2
    case sliceDataPartitionB = 3
    case sliceDataPartitionC = 4
    case idrSlice = 5
    case sei = 6
    case sps = 7
    case pps = 8
    case accessUnitDelimiter = 9
    case endOfSequence = 10
    case endOfStream = 11
    case fillerData = 12
    case spsExtension = 13
    case prefix = 14
    case subsetSPS = 15

    /// The type in the first byte of a NAL unit (`forbidden_zero_bit`, `nal_ref_idc`, `nal_unit_type`),
    /// or nil for reserved and unspecified values.
    public init?(header: UInt8) {
        self.init(rawValue: header & 0x1F)
    }

    /// Coded slice types of a primary picture.
    public var isSlice: Bool { (1...5).contains(rawValue) }
}

/// `nal_unit_type` of H.265 (ITU-T H.265 §7.4.2.2, Table 7-1). Only the values Antenne reasons about.
public enum HEVCNALUnitType {
    public static let vps: UInt8 = 32
    public static let sps: UInt8 = 33
    public static let pps: UInt8 = 34
    public static let accessUnitDelimiter: UInt8 = 35
    public static let prefixSEI: UInt8 = 39
    public static let suffixSEI: UInt8 = 40

    /// The type in the first byte of the two-byte NAL unit header (§7.3.1.2).
    public static func type(header: UInt8) -> UInt8 { (header >> 1) & 0x3F }

    /// IRAP pictures (BLA, IDR, CRA: types 16...23, §7.4.2.2) start a decodable sequence.
    public static func isIRAP(_ type: UInt8) -> Bool { (16...23).contains(type) }
}
