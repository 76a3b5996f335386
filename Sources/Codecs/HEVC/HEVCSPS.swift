import MediaCore

/// The parts of an H.265 sequence parameter set (ITU-T H.265 §7.3.2.2.1) needed for the picture
/// size and an `hvcC`: the general `profile_tier_level`, chroma format, bit depths and the size after
/// the conformance window.
public struct HEVCSPS: Sendable, Hashable {
    public var maxSubLayers: Int
    public var temporalIDNesting: Bool
    public var generalProfileSpace: UInt8
    public var generalTierFlag: Bool
    public var generalProfileIDC: UInt8
    public var generalProfileCompatibilityFlags: UInt32
    /// The 48 bits of `general_constraint_indicator_flags` (progressive, interlaced, ... flags), as six bytes.
    public var generalConstraintIndicatorFlags: [UInt8]
    public var generalLevelIDC: UInt8
    public var chromaFormatIDC: UInt32
    public var bitDepthLuma: Int
    public var bitDepthChroma: Int
    public var codedWidth: Int
    public var codedHeight: Int
    /// Size after the conformance cropping window (§7.4.3.2.1).
    public var width: Int
    public var height: Int

    /// `pic_width_in_luma_samples` and height are at most `sqrt(MaxLumaPs * 8)` (H.265 §A.4.1);
    /// MaxLumaPs is 35 651 584 at level 6.2 (Table A.8), giving 16 888.
    public static let maxDimension: UInt32 = 16_888

    /// Parses an SPS NAL unit, two-byte header included.
    public init<C: Collection>(nalUnit: C) throws(CodecsError) where C.Element == UInt8 {
        let rbsp = unescapeRBSP(nalUnit)
        guard rbsp.count >= 2 else { throw .truncated(what: "HEVC SPS", needed: 2, available: rbsp.count) }
        let type = HEVCNALUnitType.type(header: rbsp[0])
        guard type == HEVCNALUnitType.sps else { throw .invalid(what: "HEVC SPS", reason: "NAL unit type \(type) is not 33") }
        var r = BitReader(Array(rbsp.dropFirst(2)))
        let w = "HEVC SPS"
        try r.skip(4, w)  // sps_video_parameter_set_id
        maxSubLayers = Int(try r.bits(3, w)) + 1
        temporalIDNesting = try r.flag(w)
        // profile_tier_level(1, sps_max_sub_layers_minus1), §7.3.3.
        generalProfileSpace = UInt8(try r.bits(2, w))
        generalTierFlag = try r.flag(w)
        generalProfileIDC = UInt8(try r.bits(5, w))
        generalProfileCompatibilityFlags = try r.bits(32, w)
        var constraints: [UInt8] = []
        for _ in 0..<6 { constraints.append(UInt8(try r.bits(8, w))) }
        generalConstraintIndicatorFlags = constraints
        generalLevelIDC = UInt8(try r.bits(8, w))
        var profilePresent: [Bool] = [], levelPresent: [Bool] = []
        for _ in 0..<(maxSubLayers - 1) {
            profilePresent.append(try r.flag(w))
            levelPresent.append(try r.flag(w))
        }
        if maxSubLayers > 1 { try r.skip(2 * (8 - (maxSubLayers - 1)), w) }
        for i in 0..<(maxSubLayers - 1) {
            if profilePresent[i] { try r.skip(88, w) }
            if levelPresent[i] { try r.skip(8, w) }
        }
        _ = try r.ue("HEVC SPS sps_seq_parameter_set_id", max: 15)
        chromaFormatIDC = try r.ue("HEVC SPS chroma_format_idc", max: 3)
        var separateColourPlane = false
        if chromaFormatIDC == 3 { separateColourPlane = try r.flag(w) }
        codedWidth = Int(try r.ue("HEVC SPS pic_width_in_luma_samples", max: Self.maxDimension))
        codedHeight = Int(try r.ue("HEVC SPS pic_height_in_luma_samples", max: Self.maxDimension))
        var crop = (0, 0, 0, 0)
        if try r.flag(w) {
            crop = (Int(try r.ue("HEVC SPS conf_win_left_offset", max: Self.maxDimension)),
                    Int(try r.ue("HEVC SPS conf_win_right_offset", max: Self.maxDimension)),
                    Int(try r.ue("HEVC SPS conf_win_top_offset", max: Self.maxDimension)),
                    Int(try r.ue("HEVC SPS conf_win_bottom_offset", max: Self.maxDimension)))
        }
        // SubWidthC / SubHeightC from Table 6-1; ChromaArrayType 0 uses 1.
        // bit_depth_luma_minus8 and bit_depth_chroma_minus8 range over 0...8 (§7.4.3.2.1).
        bitDepthLuma = Int(try r.ue("HEVC SPS bit_depth_luma_minus8", max: 8)) + 8
        bitDepthChroma = Int(try r.ue("HEVC SPS bit_depth_chroma_minus8", max: 8)) + 8
        let chromaArrayType = separateColourPlane ? 0 : chromaFormatIDC
        let subWidthC = (chromaArrayType == 1 || chromaArrayType == 2) ? 2 : 1
        let subHeightC = chromaArrayType == 1 ? 2 : 1
        width = codedWidth - subWidthC * (crop.0 + crop.1)
        height = codedHeight - subHeightC * (crop.2 + crop.3)
        guard width > 0, height > 0 else {
            throw .invalid(what: "HEVC SPS conformance window", reason: "window leaves \(width)x\(height)")
        }
    }
}
