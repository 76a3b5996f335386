/// Finding CEA-608 captions in H.264 access units (ATSC A/53 Part 4 §6.2.3 in SEI, ITU-T H.264
/// §D.1.6), to signal them (RFC 8216bis §4.4.6.1 `INSTREAM-ID="CC1"`; SCTE 214-1 / DASH-IF IOP
/// `urn:scte:dash:cc:cea-608:2015`).
public enum H264Captions {
    /// The caption data of every SEI NAL unit of a length-prefixed sample (ISO/IEC 14496-15
    /// §5.3.2), in order; other NAL units are skipped without being read.
    public static func captionData<C: RandomAccessCollection>(
        inSample sample: C, lengthSize: Int
    ) throws(CodecsError) -> [ATSCCaptionData] where C.Element == UInt8, C.Index == Int {
        var found: [ATSCCaptionData] = []
        for range in try LengthPrefixed.unitRanges(sample, lengthSize: lengthSize) {
            guard let header = range.first.map({ sample[$0] }), H264NALUnitType(header: header) == .sei else { continue }
            for message in try SEIMessage.parse(nalUnit: sample[range]) where message.payloadType == SEIMessage.userDataRegisteredITUTT35 {
                if let data = try ATSCCaptionData(t35Payload: message.payload) { found.append(data) }
            }
        }
        return found
    }

    /// Whether a length-prefixed sample carries CEA-608 caption bytes on field 1 (CC1 or CC2):
    /// padding alone, which some encoders send all the time, does not count.
    public static func carriesCEA608<C: RandomAccessCollection>(
        sample: C, lengthSize: Int
    ) throws(CodecsError) -> Bool where C.Element == UInt8, C.Index == Int {
        try captionData(inSample: sample, lengthSize: lengthSize).contains { data in
            data.processCCData && data.constructs.contains(where: \.isField1Caption)
        }
    }
}
