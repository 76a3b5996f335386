import MediaCore
import NIOCore

extension CommonEncryption {
    /// What ``clear(fragments:track:block:)`` read and gave back.
    public struct Cleared: Sendable {
        /// The fragments with their samples decrypted (the protection boxes stay).
        public var bytes: ByteBuffer
        /// The `seig` protection of each `moof`, in order.
        public var protections: [Protection]
        /// The `senc` subsamples of each sample, in order (empty for a sample without).
        public var subsamples: [[CENCSubsample]]
    }

    /// The inverse of ``protect(fragments:track:_:block:)``, as a player's CDM does it (ISO/IEC
    /// 23001-7 §10.4.2): each `moof`'s `seig` key ID and constant IV, its `senc` subsamples, and
    /// the samples decrypted with `block` (AES-128 decryption of one block).
    public static func clear(fragments: ByteBuffer, track: CENCTrack, block: @escaping PatternCipher.Block) throws -> Cleared {
        var bytes = Array(fragments.readableBytesView)
        let base = fragments.readerIndex
        var protections: [Protection] = []
        var allSubsamples: [[CENCSubsample]] = []
        try forEachPair(fragments) { moof, mdat, pair in
            guard pair != nil else { return }
            let layout = try FragmentLayout(fragments, moof: moof, mdat: mdat, protected: true)
            var protection: Protection?
            var subsamples: [[CENCSubsample]] = []
            for box in layout.trafChildren {
                var r = BoxReader(fragments).body(of: box)
                if box.type == sgpd {
                    _ = try r.versionAndFlags("sgpd")
                    guard try r.u32("sgpd grouping_type") == seig else { continue }
                    try r.skip(8, "sgpd")
                    try r.skip(3, "seig")
                    guard try r.u8("seig Per_Sample_IV_Size") == 0 else { throw ContainersError.unsupported(what: "seig", reason: "per-sample IVs") }
                    var keyID: [UInt8] = []
                    for _ in 0..<16 { keyID.append(try r.u8("seig KID")) }
                    let ivSize = Int(try r.u8("seig constant_IV_size"))
                    var iv: [UInt8] = []
                    for _ in 0..<ivSize { iv.append(try r.u8("seig constant_IV")) }
                    protection = Protection(keyID: keyID, iv: iv)
                } else if box.type == senc {
                    let (_, flags) = try r.versionAndFlags("senc")
                    let count = Int(try r.u32("senc sample_count"))
                    guard count == layout.samples.count else {
                        throw ContainersError.invalid(what: "senc", reason: "\(count) entries for \(layout.samples.count) samples")
                    }
                    for _ in 0..<count {
                        var entry: [CENCSubsample] = []
                        if flags & useSubsamples != 0 {
                            let subsampleCount = Int(try r.u16("senc subsample_count"))
                            for _ in 0..<subsampleCount {
                                let clear = try r.u16("senc BytesOfClearData")
                                let protected = try r.u32("senc BytesOfProtectedData")
                                entry.append(CENCSubsample(clear: clear, protected: protected))
                            }
                        }
                        subsamples.append(entry)
                    }
                }
            }
            guard let protection else { throw ContainersError.invalid(what: "traf", reason: "no seig sample group") }
            if case .wholeSample = track.layout, subsamples.isEmpty {
                subsamples = Array(repeating: [], count: layout.samples.count)
            }
            guard subsamples.count == layout.samples.count else { throw ContainersError.invalid(what: "traf", reason: "no senc") }
            let cipher = PatternCipher(iv: protection.iv, pattern: track.pattern, block: block)
            try bytes.withUnsafeMutableBufferPointer { all in
                for (sample, entry) in zip(layout.samples, subsamples) {
                    var position = moof.start - base + sample.offset
                    guard !entry.isEmpty else {
                        try cipher.apply(all, range: position..<(position + Int(sample.size)), decrypting: true)
                        continue
                    }
                    for subsample in entry {
                        position += Int(subsample.clear)
                        try cipher.apply(all, range: position..<(position + Int(subsample.protected)), decrypting: true)
                        position += Int(subsample.protected)
                    }
                }
            }
            protections.append(protection)
            allSubsamples += subsamples
        }
        return Cleared(bytes: ByteBuffer(bytes: bytes), protections: protections, subsamples: allSubsamples)
    }
}
