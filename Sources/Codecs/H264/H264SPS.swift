import MediaCore

/// The parts of an H.264 sequence parameter set (ITU-T H.264 §7.3.2.1.1) a packager needs:
/// profile and level for the codec string, the cropped picture size and the VUI frame rate.
public struct H264SPS: Sendable, Hashable {
    public var profileIDC: UInt8
    /// `constraint_set0_flag` ... `constraint_set5_flag` and the two reserved bits, as one byte.
    public var constraintFlags: UInt8
    public var levelIDC: UInt8
    public var seqParameterSetID: UInt32
    public var chromaFormatIDC: UInt32
    public var bitDepthLuma: Int
    public var bitDepthChroma: Int
    public var frameMbsOnly: Bool
    /// Display width and height: the decoded size minus the frame cropping rectangle (§7.4.2.1.1).
    public var width: Int
    public var height: Int
    public var sampleAspectRatio: Rational?
    /// VUI `num_units_in_tick` / `time_scale` / `fixed_frame_rate_flag` (§E.2.1), when present.
    public var timing: Timing?

    public struct Timing: Sendable, Hashable {
        public var numUnitsInTick: UInt32
        public var timeScale: UInt32
        public var fixedFrameRate: Bool
    }

    /// The nominal frame rate the VUI states: `time_scale / (2 * num_units_in_tick)` (§E.2.1; one
    /// frame is two field ticks). Without `fixed_frame_rate_flag` this is formally the highest rate,
    /// but x264, OBS and hardware encoders write their nominal rate there (ffmpeg's x264 wrapper
    /// leaves the flag clear), so it is used either way; `timing.fixedFrameRate` tells them apart.
    public var frameRate: Rational? {
        guard let t = timing, t.numUnitsInTick > 0, t.timeScale > 0 else { return nil }
        return reduced(Int64(t.timeScale), 2 * Int64(t.numUnitsInTick))
    }

    /// Pictures up to `sqrt(MaxFS * 8)` macroblocks wide or high are allowed (H.264 §A.3.1 item f);
    /// MaxFS is 139 264 at level 6.2 (Table A-1), giving 1055.
    public static let maxDimensionInMacroblocks: UInt32 = 1055
    /// `num_ref_frames_in_pic_order_cnt_cycle` ranges over 0...255 (§7.4.2.1.1).
    public static let maxRefFramesInPOCCycle: UInt32 = 255

    private static let highProfiles: Set<UInt8> = [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]

    /// Parses an SPS NAL unit, header byte included (emulation prevention bytes are removed here).
    public init<C: Collection>(nalUnit: C) throws(CodecsError) where C.Element == UInt8 {
        let rbsp = unescapeRBSP(nalUnit)
        guard let header = rbsp.first else { throw .truncated(what: "H.264 SPS", needed: 1, available: 0) }
        guard header & 0x1F == H264NALUnitType.sps.rawValue else {
            throw .invalid(what: "H.264 SPS", reason: "NAL unit type \(header & 0x1F) is not 7")
        }
        var r = BitReader(Array(rbsp.dropFirst()))
        let w = "H.264 SPS"
        profileIDC = UInt8(try r.bits(8, w))
        constraintFlags = UInt8(try r.bits(8, w))
        levelIDC = UInt8(try r.bits(8, w))
        seqParameterSetID = try r.ue("H.264 SPS seq_parameter_set_id", max: 31)
        chromaFormatIDC = 1
        var separateColourPlane = false
        bitDepthLuma = 8
        bitDepthChroma = 8
        if Self.highProfiles.contains(profileIDC) {
            chromaFormatIDC = try r.ue("H.264 SPS chroma_format_idc", max: 3)
            if chromaFormatIDC == 3 { separateColourPlane = try r.flag(w) }
            bitDepthLuma = Int(try r.ue("H.264 SPS bit_depth_luma_minus8", max: 6)) + 8
            bitDepthChroma = Int(try r.ue("H.264 SPS bit_depth_chroma_minus8", max: 6)) + 8
            _ = try r.flag(w)  // qpprime_y_zero_transform_bypass_flag
            if try r.flag(w) {  // seq_scaling_matrix_present_flag
                for i in 0..<(chromaFormatIDC != 3 ? 8 : 12) where try r.flag(w) {
                    try Self.skipScalingList(&r, size: i < 6 ? 16 : 64)
                }
            }
        }
        _ = try r.ue("H.264 SPS log2_max_frame_num_minus4", max: 12)
        let pocType = try r.ue("H.264 SPS pic_order_cnt_type", max: 2)
        if pocType == 0 {
            _ = try r.ue("H.264 SPS log2_max_pic_order_cnt_lsb_minus4", max: 12)
        } else if pocType == 1 {
            _ = try r.flag(w)
            _ = try r.se(w)
            _ = try r.se(w)
            let cycle = try r.ue("H.264 SPS num_ref_frames_in_pic_order_cnt_cycle", max: Self.maxRefFramesInPOCCycle)
            for _ in 0..<cycle { _ = try r.se(w) }
        }
        _ = try r.ue(w)  // max_num_ref_frames
        _ = try r.flag(w)  // gaps_in_frame_num_value_allowed_flag
        let widthInMbs = try r.ue("H.264 SPS pic_width_in_mbs_minus1", max: Self.maxDimensionInMacroblocks - 1) + 1
        let heightInMapUnits = try r.ue("H.264 SPS pic_height_in_map_units_minus1", max: Self.maxDimensionInMacroblocks - 1) + 1
        frameMbsOnly = try r.flag(w)
        if !frameMbsOnly { _ = try r.flag(w) }  // mb_adaptive_frame_field_flag
        _ = try r.flag(w)  // direct_8x8_inference_flag
        var crop = (left: UInt32(0), right: UInt32(0), top: UInt32(0), bottom: UInt32(0))
        if try r.flag(w) {
            let limit = Self.maxDimensionInMacroblocks * 16
            crop = (try r.ue("H.264 SPS frame_crop_left_offset", max: limit), try r.ue("H.264 SPS frame_crop_right_offset", max: limit),
                    try r.ue("H.264 SPS frame_crop_top_offset", max: limit), try r.ue("H.264 SPS frame_crop_bottom_offset", max: limit))
        }
        // §7.4.2.1.1: CropUnitX/Y from ChromaArrayType and SubWidthC/SubHeightC (Table 6-1).
        let chromaArrayType = separateColourPlane ? 0 : chromaFormatIDC
        let subWidthC: UInt32 = chromaArrayType == 3 ? 1 : 2
        let subHeightC: UInt32 = chromaArrayType == 1 ? 2 : 1
        let cropUnitX = chromaArrayType == 0 ? 1 : subWidthC
        let cropUnitY = (chromaArrayType == 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2)
        let codedWidth = Int(widthInMbs) * 16
        let codedHeight = Int(heightInMapUnits) * 16 * (frameMbsOnly ? 1 : 2)
        width = codedWidth - Int(cropUnitX * (crop.left + crop.right))
        height = codedHeight - Int(cropUnitY * (crop.top + crop.bottom))
        guard width > 0, height > 0 else {
            throw .invalid(what: "H.264 SPS frame cropping", reason: "crop leaves \(width)x\(height)")
        }
        sampleAspectRatio = nil
        timing = nil
        if try r.flag(w) { try parseVUI(&r) }
    }

    /// VUI up to the timing information (§E.1.1); HRD and bitstream restriction are not needed.
    private mutating func parseVUI(_ r: inout BitReader) throws(CodecsError) {
        let w = "H.264 VUI"
        if try r.flag(w) {  // aspect_ratio_info_present_flag
            let idc = try r.bits(8, w)
            if idc == 255 {
                let sw = try r.bits(16, w), sh = try r.bits(16, w)
                if sw > 0, sh > 0 { sampleAspectRatio = Rational(Int64(sw), Int64(sh)) }
            } else if let sar = Self.sarTable[Int(idc)] {
                sampleAspectRatio = sar
            }
        }
        if try r.flag(w) { _ = try r.flag(w) }  // overscan
        if try r.flag(w) {  // video_signal_type_present_flag
            try r.skip(4, w)
            if try r.flag(w) { try r.skip(24, w) }
        }
        if try r.flag(w) {  // chroma_loc_info_present_flag
            _ = try r.ue(w)
            _ = try r.ue(w)
        }
        if try r.flag(w) {  // timing_info_present_flag
            let units = try r.bits(32, w)
            let scale = try r.bits(32, w)
            let fixed = try r.flag(w)
            timing = Timing(numUnitsInTick: units, timeScale: scale, fixedFrameRate: fixed)
        }
    }

    /// Table E-1 (aspect_ratio_idc 1...16).
    private static let sarTable: [Int: Rational] = [
        1: Rational(1, 1), 2: Rational(12, 11), 3: Rational(10, 11), 4: Rational(16, 11), 5: Rational(40, 33),
        6: Rational(24, 11), 7: Rational(20, 11), 8: Rational(32, 11), 9: Rational(80, 33), 10: Rational(18, 11),
        11: Rational(15, 11), 12: Rational(64, 33), 13: Rational(160, 99), 14: Rational(4, 3), 15: Rational(3, 2),
        16: Rational(2, 1),
    ]

    /// scaling_list() (§7.3.2.1.1.1): reads the delta_scale values without keeping them.
    private static func skipScalingList(_ r: inout BitReader, size: Int) throws(CodecsError) {
        var last: Int32 = 8, next: Int32 = 8
        for _ in 0..<size where next != 0 {
            let delta = try r.se("H.264 SPS delta_scale")
            guard (-128...127).contains(delta) else { throw .invalid(what: "H.264 SPS delta_scale", reason: "\(delta)") }
            next = (last + delta + 256) % 256
            if next != 0 { last = next }
        }
    }

    /// RFC 6381 §3.3 codec string `avc1.PPCCLL`: profile_idc, constraint flags byte, level_idc in hex.
    public var codecString: String {
        "avc1." + hex(UInt32(profileIDC), digits: 2) + hex(UInt32(constraintFlags), digits: 2) + hex(UInt32(levelIDC), digits: 2)
    }
}

func reduced(_ n: Int64, _ d: Int64) -> Rational {
    var a = n, b = d
    while b != 0 { (a, b) = (b, a % b) }
    return a == 0 ? Rational(n, d) : Rational(n / a, d / a)
}
