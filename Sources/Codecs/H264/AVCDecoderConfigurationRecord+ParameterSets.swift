extension AVCDecoderConfigurationRecord {
    /// Profiles whose record carries the chroma format and bit depth extension (ISO/IEC 14496-15
    /// §5.3.3.1.2).
    static let profilesWithExtension: Set<UInt8> = [100, 110, 122, 144]

    /// Builds a record from in-band parameter sets (an Annex B stream: MPEG-TS, SRT), taking profile,
    /// compatibility and level from the first SPS, and the High-profile extension (chroma format, bit
    /// depths) from it when the profile requires one (§5.3.3.1.2). NAL lengths are 4 bytes.
    public init(sequenceParameterSets: [[UInt8]], pictureParameterSets: [[UInt8]]) throws(CodecsError) {
        guard let first = sequenceParameterSets.first else { throw .invalid(what: "avcC", reason: "no SPS") }
        guard !pictureParameterSets.isEmpty else { throw .invalid(what: "avcC", reason: "no PPS") }
        guard sequenceParameterSets.count < CodecsLimits.maxAVCSequenceParameterSets else {
            throw .limitExceeded(what: "avcC SPS count", value: sequenceParameterSets.count, limit: CodecsLimits.maxAVCSequenceParameterSets - 1)
        }
        guard pictureParameterSets.count < CodecsLimits.maxAVCPictureParameterSets else {
            throw .limitExceeded(what: "avcC PPS count", value: pictureParameterSets.count, limit: CodecsLimits.maxAVCPictureParameterSets - 1)
        }
        for unit in sequenceParameterSets + pictureParameterSets where unit.count > CodecsLimits.maxParameterSetSize {
            throw .limitExceeded(what: "avcC parameter set size", value: unit.count, limit: CodecsLimits.maxParameterSetSize)
        }
        let sps = try H264SPS(nalUnit: first)
        var ext: HighProfileExtension? = nil
        if Self.profilesWithExtension.contains(sps.profileIDC) {
            ext = HighProfileExtension(chromaFormat: UInt8(sps.chromaFormatIDC), bitDepthLumaMinus8: UInt8(sps.bitDepthLuma - 8),
                                       bitDepthChromaMinus8: UInt8(sps.bitDepthChroma - 8))
        }
        self.init(profileIndication: sps.profileIDC, profileCompatibility: sps.constraintFlags, levelIndication: sps.levelIDC,
                  sequenceParameterSets: sequenceParameterSets, pictureParameterSets: pictureParameterSets, highProfileExtension: ext)
    }
}
