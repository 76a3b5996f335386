import MediaCore

/// Finding CEA-608 and CEA-708 captions in H.264 and HEVC access units (ATSC A/53 Part 4 §6.2.3
/// in SEI: ITU-T H.264 §D.1.6, H.265 §D.2.6), to signal them (RFC 8216bis §4.4.6.1 `INSTREAM-ID`;
/// SCTE 214-1 / DASH-IF IOP `urn:scte:dash:cc:cea-608:2015`, `urn:scte:dash:cc:cea-708:2015`).
public enum VideoCaptions {
    /// The caption data of every SEI NAL unit of a length-prefixed sample (ISO/IEC 14496-15
    /// §5.3.2, §8.3.2) of `codec` (H.264, or HEVC's prefix and suffix SEI), in order; other NAL
    /// units are skipped without being read. Nothing for other codecs.
    public static func captionData<C: RandomAccessCollection>(
        inSample sample: C, codec: Codec, lengthSize: Int
    ) throws(CodecsError) -> [ATSCCaptionData] where C.Element == UInt8, C.Index == Int {
        var found: [ATSCCaptionData] = []
        for range in try LengthPrefixed.unitRanges(sample, lengthSize: lengthSize) {
            guard let header = range.first.map({ sample[$0] }) else { continue }
            let messages: [SEIMessage]
            switch codec {
            case .h264 where H264NALUnitType(header: header) == .sei:
                messages = try SEIMessage.parse(nalUnit: sample[range])
            case .hevc where [HEVCNALUnitType.prefixSEI, HEVCNALUnitType.suffixSEI].contains(HEVCNALUnitType.type(header: header)):
                messages = try SEIMessage.parse(hevcNALUnit: sample[range])
            default:
                continue
            }
            for message in messages where message.payloadType == SEIMessage.userDataRegisteredITUTT35 {
                if let data = try ATSCCaptionData(t35Payload: message.payload) { found.append(data) }
            }
        }
        return found
    }

    /// The caption channels a length-prefixed sample speaks on (``ATSCCaptionData/channels``):
    /// padding alone, which some encoders send all the time, is none.
    public static func channels<C: RandomAccessCollection>(
        inSample sample: C, codec: Codec, lengthSize: Int
    ) throws(CodecsError) -> CaptionChannels where C.Element == UInt8, C.Index == Int {
        try captionData(inSample: sample, codec: codec, lengthSize: lengthSize).reduce(CaptionChannels()) { $0.union($1.channels) }
    }
}
