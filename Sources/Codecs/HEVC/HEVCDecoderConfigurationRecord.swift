/// `HEVCDecoderConfigurationRecord`, the `hvcC` box payload and the Enhanced RTMP HEVC sequence
/// start (ISO/IEC 14496-15 §8.3.3.1).
public struct HEVCDecoderConfigurationRecord: Sendable, Hashable {
    public var generalProfileSpace: UInt8
    public var generalTierFlag: Bool
    public var generalProfileIDC: UInt8
    public var generalProfileCompatibilityFlags: UInt32
    /// The 48 bits of `general_constraint_indicator_flags`, as six bytes.
    public var generalConstraintIndicatorFlags: [UInt8]
    public var generalLevelIDC: UInt8
    public var minSpatialSegmentationIDC: UInt16
    public var parallelismType: UInt8
    public var chromaFormat: UInt8
    public var bitDepthLumaMinus8: UInt8
    public var bitDepthChromaMinus8: UInt8
    public var avgFrameRate: UInt16
    public var constantFrameRate: UInt8
    public var numTemporalLayers: UInt8
    public var temporalIDNested: Bool
    /// Bytes of each NAL unit length in samples: 1, 2 or 4.
    public var nalLengthSize: Int
    public var arrays: [NALUnitArray]

    public struct NALUnitArray: Sendable, Hashable {
        public var arrayCompleteness: Bool
        /// H.265 `nal_unit_type` (32 VPS, 33 SPS, 34 PPS, 39/40 SEI).
        public var nalUnitType: UInt8
        public var nalUnits: [[UInt8]]

        public init(arrayCompleteness: Bool = true, nalUnitType: UInt8, nalUnits: [[UInt8]]) {
            self.arrayCompleteness = arrayCompleteness
            self.nalUnitType = nalUnitType
            self.nalUnits = nalUnits
        }
    }

    public init(parsing bytes: [UInt8]) throws(CodecsError) {
        var c = ByteCursor(bytes, what: "hvcC")
        let version = try c.u8()
        guard version == 1 else { throw .unsupported(what: "hvcC", reason: "configurationVersion \(version)") }
        let b1 = try c.u8()
        generalProfileSpace = b1 >> 6
        generalTierFlag = b1 & 0x20 != 0
        generalProfileIDC = b1 & 0x1F
        generalProfileCompatibilityFlags = try c.u32()
        generalConstraintIndicatorFlags = try c.take(6)
        generalLevelIDC = try c.u8()
        minSpatialSegmentationIDC = try c.u16() & 0x0FFF
        parallelismType = try c.u8() & 0x03
        chromaFormat = try c.u8() & 0x03
        bitDepthLumaMinus8 = try c.u8() & 0x07
        bitDepthChromaMinus8 = try c.u8() & 0x07
        avgFrameRate = try c.u16()
        let b2 = try c.u8()
        constantFrameRate = b2 >> 6
        numTemporalLayers = (b2 >> 3) & 0x07
        temporalIDNested = b2 & 0x04 != 0
        nalLengthSize = Int(b2 & 0x03) + 1
        guard nalLengthSize != 3 else { throw .invalid(what: "hvcC", reason: "lengthSizeMinusOne 2 is not allowed") }
        let arrayCount = Int(try c.u8())
        guard arrayCount <= CodecsLimits.maxHEVCArrays else {
            throw .limitExceeded(what: "hvcC numOfArrays", value: arrayCount, limit: CodecsLimits.maxHEVCArrays)
        }
        arrays = []
        for _ in 0..<arrayCount {
            let b = try c.u8()
            let count = Int(try c.u16())
            guard count <= CodecsLimits.maxHEVCNALUnitsPerArray else {
                throw .limitExceeded(what: "hvcC numNalus", value: count, limit: CodecsLimits.maxHEVCNALUnitsPerArray)
            }
            var units: [[UInt8]] = []
            for _ in 0..<count { units.append(try c.take(Int(try c.u16()))) }
            arrays.append(NALUnitArray(arrayCompleteness: b & 0x80 != 0, nalUnitType: b & 0x3F, nalUnits: units))
        }
    }

    /// Serialises the record; reserved bits are ones (§8.3.3.1.1).
    public func serialized() -> [UInt8] {
        precondition(generalConstraintIndicatorFlags.count == 6 && [1, 2, 4].contains(nalLengthSize))
        var out: [UInt8] = [1, generalProfileSpace << 6 | (generalTierFlag ? 0x20 : 0) | generalProfileIDC]
        out.appendU32(generalProfileCompatibilityFlags)
        out += generalConstraintIndicatorFlags
        out.append(generalLevelIDC)
        out.appendU16(0xF000 | minSpatialSegmentationIDC)
        out += [0xFC | parallelismType, 0xFC | chromaFormat, 0xF8 | bitDepthLumaMinus8, 0xF8 | bitDepthChromaMinus8]
        out.appendU16(avgFrameRate)
        out.append(constantFrameRate << 6 | numTemporalLayers << 3 | (temporalIDNested ? 0x04 : 0) | UInt8(nalLengthSize - 1))
        out.append(UInt8(arrays.count))
        for array in arrays {
            out.append((array.arrayCompleteness ? 0x80 : 0) | array.nalUnitType)
            out.appendU16(UInt16(array.nalUnits.count))
            for unit in array.nalUnits {
                out.appendU16(UInt16(unit.count))
                out += unit
            }
        }
        return out
    }

    /// NAL units of one type, across arrays.
    public func nalUnits(ofType type: UInt8) -> [[UInt8]] {
        arrays.filter { $0.nalUnitType == type }.flatMap(\.nalUnits)
    }

    /// The first SPS, parsed.
    public func parsedSPS() throws(CodecsError) -> HEVCSPS {
        guard let sps = nalUnits(ofType: HEVCNALUnitType.sps).first else { throw .invalid(what: "hvcC", reason: "no SPS") }
        return try HEVCSPS(nalUnit: sps)
    }

    /// Codec string per ISO/IEC 14496-15 Annex E.3: `hvc1.[A|B|C]profile.compat.Ttier-level.constraints`,
    /// compatibility flags bit-reversed in hex, trailing zero constraint bytes omitted.
    public var codecString: String {
        var s = "hvc1."
        if generalProfileSpace > 0 { s += String(UnicodeScalar(UInt8(64) + generalProfileSpace)) }
        s += String(generalProfileIDC) + "."
        var reversed: UInt32 = 0
        for i in 0..<32 where generalProfileCompatibilityFlags & (1 << UInt32(i)) != 0 { reversed |= 1 << UInt32(31 - i) }
        s += String(reversed, radix: 16, uppercase: true) + "."
        s += (generalTierFlag ? "H" : "L") + String(generalLevelIDC)
        var constraints = generalConstraintIndicatorFlags
        while let last = constraints.last, last == 0 { constraints.removeLast() }
        for b in constraints { s += "." + String(b, radix: 16, uppercase: true) }
        return s
    }
}
