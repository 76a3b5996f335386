/// Limits on counts and lengths read from untrusted input. Each says where its number comes from.
public enum CodecsLimits {
    /// NAL units in one access unit. An access unit carries an AUD, parameter sets, SEI and the
    /// slices of one picture. H.264 Table A-4 (SliceRate) and H.265 Table A.8 (MaxSliceSegmentsPerPicture,
    /// 600 at level 6.2) keep slice counts in the hundreds; 1024 leaves room for SEI and parameter
    /// sets while stopping a hostile payload of millions of empty NAL units.
    public static let maxNALUnitsPerAccessUnit = 1024

    /// Sequence parameter sets in an `avcC`: the field is 5 bits (ISO/IEC 14496-15 §5.3.3.1.2) and
    /// H.264 `seq_parameter_set_id` ranges over 0...31 (§7.4.2.1.1).
    public static let maxAVCSequenceParameterSets = 32

    /// Picture parameter sets in an `avcC`: the field is 8 bits and H.264 `pic_parameter_set_id`
    /// ranges over 0...255 (§7.4.2.2).
    public static let maxAVCPictureParameterSets = 256

    /// NAL unit arrays in an `hvcC`: one per type (VPS, SPS, PPS, prefix SEI, suffix SEI) is what
    /// ISO/IEC 14496-15 §8.3.2 allows; 16 tolerates encoders that split a type over several arrays.
    public static let maxHEVCArrays = 16

    /// NAL units in one `hvcC` array. H.265 bounds parameter-set ids: VPS 0...15 (§7.4.3.1), SPS
    /// 0...15 (§7.4.3.2.1), PPS 0...63 (§7.4.3.3.1); 64 also covers SEI arrays in practice.
    public static let maxHEVCNALUnitsPerArray = 64

    /// Parameter-set NAL unit size. A real SPS is under 100 bytes and a PPS rarely over 50; x265
    /// puts a ~2 KB settings SEI into `hvcC`. 64 KiB is also what the 16-bit length field allows.
    public static let maxParameterSetSize = 65_535

    /// Operating points in an AV1 sequence header: `operating_points_cnt_minus_1` is 5 bits (AV1 §5.5.1).
    public static let maxAV1OperatingPoints = 32
}
