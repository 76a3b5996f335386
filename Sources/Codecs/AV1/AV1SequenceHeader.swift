import MediaCore

/// `sequence_header_obu()` (AV1 spec §5.5.1) up to the maximum frame size.
public struct AV1SequenceHeader: Sendable, Hashable {
    public var seqProfile: UInt8
    public var stillPicture: Bool
    public var seqLevelIdx0: UInt8
    public var seqTier0: UInt8
    public var maxFrameWidth: Int
    public var maxFrameHeight: Int

    public init<C: Collection>(payload: C) throws(CodecsError) where C.Element == UInt8 {
        var r = BitReader(Array(payload))
        let w = "AV1 sequence header"
        seqProfile = UInt8(try r.bits(3, w))
        guard seqProfile <= 2 else { throw .invalid(what: w, reason: "seq_profile \(seqProfile)") }
        stillPicture = try r.flag(w)
        let reduced = try r.flag(w)
        seqTier0 = 0
        if reduced {
            seqLevelIdx0 = UInt8(try r.bits(5, w))
        } else {
            var decoderModelInfoPresent = false
            var bufferDelayLength = 0
            if try r.flag(w) {  // timing_info_present_flag: timing_info() §5.5.3
                try r.skip(64, w)
                if try r.flag(w) {  // equal_picture_interval: num_ticks_per_picture_minus_1 uvlc()
                    var zeros = 0
                    while try !r.flag(w) {
                        zeros += 1
                        guard zeros < 32 else { throw .invalid(what: w, reason: "uvlc longer than 32 bits") }
                    }
                    try r.skip(zeros, w)
                }
                decoderModelInfoPresent = try r.flag(w)
                if decoderModelInfoPresent {  // decoder_model_info() §5.5.4
                    bufferDelayLength = Int(try r.bits(5, w)) + 1
                    try r.skip(32 + 5 + 5, w)
                }
            }
            let initialDisplayDelayPresent = try r.flag(w)
            let count = Int(try r.bits(5, w)) + 1  // bounded by CodecsLimits.maxAV1OperatingPoints
            seqLevelIdx0 = 0
            for i in 0..<count {
                try r.skip(12, w)  // operating_point_idc
                let level = UInt8(try r.bits(5, w))
                var tier: UInt8 = 0
                if level > 7 { tier = UInt8(try r.bits(1, w)) }
                if i == 0 {
                    seqLevelIdx0 = level
                    seqTier0 = tier
                }
                if decoderModelInfoPresent, try r.flag(w) {  // operating_parameters_info() §5.5.5
                    try r.skip(2 * bufferDelayLength + 1, w)
                }
                if initialDisplayDelayPresent, try r.flag(w) { try r.skip(4, w) }
            }
        }
        let widthBits = Int(try r.bits(4, w)) + 1
        let heightBits = Int(try r.bits(4, w)) + 1
        maxFrameWidth = Int(try r.bits(widthBits, w)) + 1
        maxFrameHeight = Int(try r.bits(heightBits, w)) + 1
    }
}
