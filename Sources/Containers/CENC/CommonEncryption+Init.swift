import NIOCore

extension CommonEncryption {
    /// `initSegment` with its sample entry protected (ISO/IEC 23001-7 §4, ISO/IEC 14496-12
    /// §8.12): `encv` (video) or `enca` (audio) in place of the codec's type, and a `sinf` at the
    /// end of the entry naming the original type, `cbcs` and the default key ID. Every box on
    /// the way (`moov` to `stsd`) grows by the `sinf`; nothing else moves.
    public static func protect(initSegment: ByteBuffer, track: CENCTrack, default protection: Protection) throws(ContainersError) -> ByteBuffer {
        try check(protection)
        guard initSegment.readableBytes <= MP4Limits.initSegmentBytes else {
            throw .limitExceeded(what: "init segment bytes", value: initSegment.readableBytes, limit: MP4Limits.initSegmentBytes)
        }
        var chain: [BoxHeader] = []
        var reader = BoxReader(initSegment)
        for type in [FMP4Reader.moov, FMP4Reader.trak, FMP4Reader.mdia, FMP4Reader.minf, FMP4Reader.stbl, FMP4Reader.stsd] {
            guard let box = try reader.first(type) else { throw .invalid(what: "init segment", reason: "no \(fourCCName(type))") }
            chain.append(box)
            reader = try reader.children(of: box, skip: type == FMP4Reader.stsd ? 8 : 0)
        }
        guard let entry = try reader.nextBox() else { throw .invalid(what: "stsd", reason: "no sample entry") }
        chain.append(entry)
        let base = initSegment.readerIndex
        var bytes = Array(initSegment.readableBytesView)
        let original = Array(bytes[(entry.start - base + 4)..<(entry.start - base + 8)])
        let sinf = protectionScheme(original: original, protection, track: track)
        for box in chain {
            // 32-bit sizes only: `largesize` boxes are never this small (§4.2).
            guard box.bodyStart - box.start == 8 else { throw .unsupported(what: box.typeName, reason: "a 64-bit size") }
            let at = box.start - base
            let size = (box.end - box.start) + sinf.count
            for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: size >> (24 - 8 * i)) }
        }
        let protectedType: [UInt8]
        switch track.layout {
        case .nalUnits: protectedType = Array("encv".utf8)
        case .wholeSample: protectedType = Array("enca".utf8)
        }
        bytes.replaceSubrange((entry.start - base + 4)..<(entry.start - base + 8), with: protectedType)
        bytes.insert(contentsOf: sinf, at: entry.end - base)
        return ByteBuffer(bytes: bytes)
    }
}
