extension HEVCDecoderConfigurationRecord {
    /// Builds a record from in-band parameter sets (an Annex B stream: MPEG-TS, SRT), the way
    /// ISO/IEC 14496-15 §8.3.3.1.2 derives the fields: profile, tier, level, compatibility and
    /// constraint flags, chroma format and bit depths from the first SPS; one array each for VPS, SPS
    /// and PPS, marked complete. Fields the SPS VUI would refine (`min_spatial_segmentation_idc`,
    /// frame rates) are written as 0, "unknown". NAL lengths are 4 bytes.
    public init(videoParameterSets: [[UInt8]], sequenceParameterSets: [[UInt8]], pictureParameterSets: [[UInt8]]) throws(CodecsError) {
        guard !videoParameterSets.isEmpty else { throw .invalid(what: "hvcC", reason: "no VPS") }
        guard let first = sequenceParameterSets.first else { throw .invalid(what: "hvcC", reason: "no SPS") }
        guard !pictureParameterSets.isEmpty else { throw .invalid(what: "hvcC", reason: "no PPS") }
        let lists = [videoParameterSets, sequenceParameterSets, pictureParameterSets]
        for list in lists where list.count > CodecsLimits.maxHEVCNALUnitsPerArray {
            throw .limitExceeded(what: "hvcC numNalus", value: list.count, limit: CodecsLimits.maxHEVCNALUnitsPerArray)
        }
        for unit in lists.joined() where unit.count > CodecsLimits.maxParameterSetSize {
            throw .limitExceeded(what: "hvcC parameter set size", value: unit.count, limit: CodecsLimits.maxParameterSetSize)
        }
        let sps = try HEVCSPS(nalUnit: first)
        generalProfileSpace = sps.generalProfileSpace
        generalTierFlag = sps.generalTierFlag
        generalProfileIDC = sps.generalProfileIDC
        generalProfileCompatibilityFlags = sps.generalProfileCompatibilityFlags
        generalConstraintIndicatorFlags = sps.generalConstraintIndicatorFlags
        generalLevelIDC = sps.generalLevelIDC
        minSpatialSegmentationIDC = 0
        parallelismType = 0
        chromaFormat = UInt8(sps.chromaFormatIDC)
        bitDepthLumaMinus8 = UInt8(sps.bitDepthLuma - 8)
        bitDepthChromaMinus8 = UInt8(sps.bitDepthChroma - 8)
        avgFrameRate = 0
        constantFrameRate = 0
        numTemporalLayers = UInt8(sps.maxSubLayers)
        temporalIDNested = sps.temporalIDNesting
        nalLengthSize = 4
        arrays = [
            NALUnitArray(nalUnitType: HEVCNALUnitType.vps, nalUnits: videoParameterSets),
            NALUnitArray(nalUnitType: HEVCNALUnitType.sps, nalUnits: sequenceParameterSets),
            NALUnitArray(nalUnitType: HEVCNALUnitType.pps, nalUnits: pictureParameterSets),
        ]
    }
}
