/// Conversion between the two NAL unit framings: Annex B byte streams (start codes, ITU-T H.264
/// Annex B / H.265 Annex B) and length-prefixed samples (ISO/IEC 14496-15 §4.3.2, "AVCC").
public enum AnnexB {
    /// Splits an Annex B byte stream on `00 00 01` / `00 00 00 01` start codes. Empty NAL units
    /// are skipped; trailing zero bytes of a NAL unit belong to the next start code (§B.2).
    public static func split(_ bytes: [UInt8]) throws(CodecsError) -> [ArraySlice<UInt8>] {
        var units: [ArraySlice<UInt8>] = []
        var start: Int? = nil
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == 0, bytes[i + 1] == 0, bytes[i + 2] == 1 {
                if let s = start { try append(bytes, s, i, &units) }
                i += 3
                start = i
            } else {
                i += 1
            }
        }
        guard let s = start else {
            if bytes.allSatisfy({ $0 == 0 }) { return [] }
            throw .invalid(what: "Annex B stream", reason: "no start code")
        }
        try append(bytes, s, bytes.count, &units)
        return units
    }

    private static func append(
        _ bytes: [UInt8], _ start: Int, _ end: Int, _ units: inout [ArraySlice<UInt8>]
    ) throws(CodecsError) {
        var e = end
        while e > start, bytes[e - 1] == 0 { e -= 1 }
        guard e > start else { return }
        guard units.count < CodecsLimits.maxNALUnitsPerAccessUnit else {
            throw .limitExceeded(what: "Annex B NAL units", value: units.count + 1, limit: CodecsLimits.maxNALUnitsPerAccessUnit)
        }
        units.append(bytes[start..<e])
    }

    /// Joins NAL units with 4-byte start codes.
    public static func join<S: Sequence>(_ units: S) -> [UInt8] where S.Element: Collection, S.Element.Element == UInt8 {
        var out: [UInt8] = []
        for unit in units {
            out += [0, 0, 0, 1]
            out += unit
        }
        return out
    }

    /// Annex B to length-prefixed with 4-byte lengths.
    public static func toLengthPrefixed(_ bytes: [UInt8]) throws(CodecsError) -> [UInt8] {
        LengthPrefixed.join(try split(bytes), lengthSize: 4)
    }
}

/// Length-prefixed NAL units, the ISO BMFF sample format (ISO/IEC 14496-15 §4.3.2 / §5.3.2).
public enum LengthPrefixed {
    /// Splits a sample whose NAL units are preceded by `lengthSize`-byte big-endian lengths
    /// (1, 2 or 4: `lengthSizeMinusOne` in `avcC`/`hvcC`; 3 is not allowed).
    public static func split<C: RandomAccessCollection>(
        _ bytes: C, lengthSize: Int
    ) throws(CodecsError) -> [C.SubSequence] where C.Element == UInt8, C.Index == Int {
        try unitRanges(bytes, lengthSize: lengthSize).map { bytes[$0] }
    }

    /// Where the NAL units of a length-prefixed sample lie in `bytes` (indices of `bytes`), with
    /// the checks of ``split(_:lengthSize:)``; the bytes themselves are neither copied nor sliced.
    public static func unitRanges<C: RandomAccessCollection>(
        _ bytes: C, lengthSize: Int
    ) throws(CodecsError) -> [Range<Int>] where C.Element == UInt8, C.Index == Int {
        guard lengthSize == 1 || lengthSize == 2 || lengthSize == 4 else {
            throw .invalid(what: "NAL length size", reason: "\(lengthSize) is not 1, 2 or 4")
        }
        var units: [Range<Int>] = []
        var i = bytes.startIndex
        while i < bytes.endIndex {
            guard bytes.endIndex - i >= lengthSize else {
                throw .truncated(what: "NAL unit length", needed: i - bytes.startIndex + lengthSize, available: bytes.count)
            }
            var length = 0
            for k in 0..<lengthSize { length = length << 8 | Int(bytes[i + k]) }
            i += lengthSize
            guard bytes.endIndex - i >= length else {
                throw .truncated(what: "NAL unit", needed: i - bytes.startIndex + length, available: bytes.count)
            }
            guard units.count < CodecsLimits.maxNALUnitsPerAccessUnit else {
                throw .limitExceeded(what: "length-prefixed NAL units", value: units.count + 1, limit: CodecsLimits.maxNALUnitsPerAccessUnit)
            }
            units.append(i..<i + length)
            i += length
        }
        return units
    }

    /// Joins NAL units with `lengthSize`-byte big-endian lengths. Precondition: each unit fits.
    public static func join<S: Sequence>(_ units: S, lengthSize: Int = 4) -> [UInt8]
    where S.Element: Collection, S.Element.Element == UInt8 {
        var out: [UInt8] = []
        for unit in units {
            let n = unit.count
            precondition(lengthSize == 4 || n < 1 << (8 * lengthSize), "NAL unit too long for its length field")
            for k in stride(from: lengthSize - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: n >> (8 * k))) }
            out += unit
        }
        return out
    }

    /// Length-prefixed to Annex B.
    public static func toAnnexB(_ bytes: [UInt8], lengthSize: Int = 4) throws(CodecsError) -> [UInt8] {
        AnnexB.join(try split(bytes, lengthSize: lengthSize))
    }
}

/// Removes emulation prevention bytes (`00 00 03` → `00 00`, ITU-T H.264 §7.4.1 / H.265 §7.4.2),
/// turning a NAL unit payload into its RBSP.
public func unescapeRBSP<C: Collection>(_ nal: C) -> [UInt8] where C.Element == UInt8 {
    var out: [UInt8] = []
    out.reserveCapacity(nal.count)
    var zeros = 0
    for b in nal {
        if zeros >= 2, b == 3 {
            zeros = 0
            continue
        }
        out.append(b)
        zeros = b == 0 ? zeros + 1 : 0
    }
    return out
}
