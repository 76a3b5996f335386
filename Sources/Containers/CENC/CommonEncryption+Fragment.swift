import MediaCore
import NIOCore

extension CommonEncryption {
    static let sbgp = fourCC("sbgp"), saiz = fourCC("saiz"), saio = fourCC("saio")

    /// `fragments` (`moof` + `mdat` pairs, a part or a segment of parts, and any top-level box
    /// between pairs such as `styp`) with every sample encrypted under `protection` and its
    /// auxiliary information added to its `traf` (ISO/IEC 23001-7 §7): `sbgp` and `sgpd` with
    /// the `seig` entry of the key, and for video `saiz`, `saio` and `senc` with the subsamples
    /// of each sample (audio samples, encrypted whole under a constant IV, have no auxiliary
    /// information at all, as §7.1 allows and Chromium requires of AAC). Each
    /// pair is rewritten on its own, so a segment is the concatenation of its parts rewritten.
    /// `trun` data offsets grow by what the `moof` grew.
    ///
    /// - Parameter block: AES-128 of one block with the key (``PatternCipher``).
    public static func protect(
        fragments: ByteBuffer, track: CENCTrack, _ protection: Protection, block: @escaping PatternCipher.Block
    ) throws -> ByteBuffer {
        try check(protection)
        let cipher = PatternCipher(iv: protection.iv, pattern: track.pattern, block: block)
        var bytes = Array(fragments.readableBytesView)
        let base = fragments.readerIndex
        var out = ByteBufferAllocator().buffer(capacity: bytes.count + 1024)
        try forEachPair(fragments) { moof, mdat, pair in
            if pair == nil {
                out.writeBytes(bytes[(moof.start - base)..<(moof.end - base)])
                return
            }
            let layout = try FragmentLayout(fragments, moof: moof, mdat: mdat)
            var infos: [[UInt8]] = []
            infos.reserveCapacity(layout.samples.count)
            try bytes.withUnsafeMutableBufferPointer { all in
                for sample in layout.samples {
                    let start = moof.start - base + sample.offset
                    let end = start + Int(sample.size)
                    guard let subsamples = try track.subsamples(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: all[start..<end]))) else {
                        try cipher.apply(all, range: start..<end)
                        infos.append([])
                        continue
                    }
                    var info: [UInt8] = [UInt8(truncatingIfNeeded: subsamples.count >> 8), UInt8(truncatingIfNeeded: subsamples.count)]
                    var position = start
                    for subsample in subsamples {
                        position += Int(subsample.clear)
                        try cipher.apply(all, range: position..<(position + Int(subsample.protected)))
                        position += Int(subsample.protected)
                        info += [UInt8(truncatingIfNeeded: subsample.clear >> 8), UInt8(truncatingIfNeeded: subsample.clear)]
                        info += (0..<4).map { UInt8(truncatingIfNeeded: subsample.protected >> (24 - 8 * $0)) }
                    }
                    infos.append(info)
                }
            }
            var moofBytes = try layout.protectedMovieFragment(bytes: bytes, base: base, infos: infos, protection: protection, track: track)
            out.writeBuffer(&moofBytes)
            out.writeBytes(bytes[(mdat.start - base)..<(mdat.end - base)])
        }
        return out
    }

    /// Calls `body` with each `moof` and its `mdat` (`pair` non-nil), or with a box outside any
    /// pair (as `moof`, `pair` nil). A `moof` must be followed by its `mdat` at once.
    static func forEachPair(
        _ fragments: ByteBuffer, _ body: (_ moof: BoxHeader, _ mdat: BoxHeader, _ pair: Void?) throws -> Void
    ) throws {
        var top = BoxReader(fragments)
        var open: BoxHeader?
        while let box = try top.nextBox() {
            if box.type == FMP4Reader.moof {
                guard open == nil else { throw ContainersError.invalid(what: "moof", reason: "no mdat after the moof at \(open!.start)") }
                open = box
            } else if box.type == FMP4Reader.mdat {
                guard let moof = open else { throw ContainersError.invalid(what: "mdat", reason: "no moof before the mdat at \(box.start)") }
                try body(moof, box, ())
                open = nil
            } else {
                guard open == nil else { throw ContainersError.unsupported(what: box.typeName, reason: "a box between a moof and its mdat") }
                try body(box, box, nil)
            }
        }
        guard open == nil else { throw ContainersError.invalid(what: "moof", reason: "no mdat after the last moof") }
    }
}
