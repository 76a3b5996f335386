import MediaCore
import NIOCore

/// One `moof` + `mdat` pair as common encryption rewrites it: the boxes of its one `traf`, where
/// its `trun` data offsets are, and its samples.
struct FragmentLayout {
    let moof: BoxHeader
    let moofChildren: [BoxHeader]
    let traf: BoxHeader
    let trafChildren: [BoxHeader]
    /// Index of each `trun`'s data_offset field, where it has one.
    let dataOffsets: [Int]
    /// The samples, offsets from the `moof` start.
    let samples: [MP4Sample]

    /// - Parameter protected: whether the pair may already carry protection boxes (to clear it).
    init(_ fragments: ByteBuffer, moof: BoxHeader, mdat: BoxHeader, protected: Bool = false) throws(ContainersError) {
        self.moof = moof
        var reader = BoxReader(fragments)
        reader = try reader.children(of: moof)
        var children: [BoxHeader] = []
        var traf: BoxHeader?
        while let box = try reader.nextBox() {
            children.append(box)
            if box.type == FMP4Reader.traf {
                guard traf == nil else { throw .unsupported(what: "moof", reason: "more than one traf") }
                traf = box
            }
        }
        guard let traf else { throw .invalid(what: "moof", reason: "no traf") }
        moofChildren = children
        self.traf = traf
        var trafReader = try BoxReader(fragments).children(of: moof).children(of: traf)
        var trafChildren: [BoxHeader] = []
        var dataOffsets: [Int] = []
        var trackID: UInt32?
        while let box = try trafReader.nextBox() {
            trafChildren.append(box)
            var body = trafReader.body(of: box)
            if box.type == FMP4Reader.tfhd {
                let (_, flags) = try body.versionAndFlags("tfhd")
                guard flags & FMP4Reader.baseDataOffsetPresent == 0 else {
                    throw .unsupported(what: "tfhd", reason: "base_data_offset (offsets must count from the moof)")
                }
                trackID = try body.u32("tfhd track_ID")
            } else if box.type == FMP4Reader.trun {
                let (_, flags) = try body.versionAndFlags("trun")
                if flags & FragmentState.dataOffsetPresent != 0 { dataOffsets.append(box.bodyStart + 8) }
            } else if !protected, [CommonEncryption.senc, CommonEncryption.saiz, CommonEncryption.sgpd].contains(box.type) {
                throw .invalid(what: "traf", reason: "already protected (\(box.typeName))")
            }
        }
        guard let trackID else { throw .invalid(what: "traf", reason: "no tfhd") }
        self.trafChildren = trafChildren
        self.dataOffsets = dataOffsets
        guard let pair = fragments.getSlice(at: moof.start, length: mdat.end - moof.start) else {
            throw .truncated(what: "moof", needed: mdat.end - moof.start, available: fragments.writerIndex - moof.start)
        }
        samples = try FMP4Reader.samples(
            inSegment: pair, track: MP4Track(trackID: trackID, mediaType: .video, timescale: 1, sampleEntry: []), source: 0)
    }

    /// The `moof` with the protection boxes at the end of its `traf` (ISO/IEC 23001-7 §7,
    /// ISO/IEC 14496-12 §8.7.8, §8.7.9, §8.9) and its data offsets moved by what it grew.
    /// `bytes` are the fragments' bytes, `base` their first index.
    func protectedMovieFragment(
        bytes: [UInt8], base: Int, infos: [[UInt8]], protection: CommonEncryption.Protection, track: CENCTrack
    ) throws(ContainersError) -> ByteBuffer {
        guard let largest = infos.map(\.count).max(), largest <= Int(UInt8.max) else {
            // `saiz` sizes are 8-bit: 42 subsamples per sample at most.
            throw .limitExceeded(what: "cbcs sample information bytes", value: infos.map(\.count).max() ?? 0, limit: Int(UInt8.max))
        }
        let count = UInt32(infos.count)
        var w = BoxWriter(capacity: moof.end - moof.start + 128 + infos.reduce(0) { $0 + $1.count + 1 })
        var movedOffsets: [Int] = []
        var sencAt = 0
        var saioAt = 0
        w.box("moof") { w in
            for child in moofChildren {
                guard child.start == traf.start else {
                    w.bytes(bytes[(child.start - base)..<(child.end - base)])
                    continue
                }
                w.box("traf") { w in
                    for box in trafChildren {
                        for at in dataOffsets where (box.start..<box.end).contains(at) {
                            movedOffsets.append(w.buffer.writerIndex + at - box.start)
                        }
                        w.bytes(bytes[(box.start - base)..<(box.end - base)])
                    }
                    w.fullBox("sbgp") { w in
                        w.fourCC("seig")
                        w.u32(1)
                        w.u32(count)
                        w.u32(CommonEncryption.fragmentLocalGroup)
                    }
                    w.fullBox("sgpd", version: 1) { w in
                        w.fourCC("seig")
                        w.u32(UInt32(4 + 16 + 1 + protection.iv.count))  // default_length
                        w.u32(1)
                        CommonEncryption.protectionFields(&w, protection, track: track)
                    }
                    // Whole-sample encryption with a constant IV has no sample auxiliary
                    // information (ISO/IEC 23001-7 §7.1): no `senc`, `saiz` nor `saio`.
                    guard case .nalUnits = track.layout else { return }
                    let sizes = Set(infos.map(\.count))
                    w.fullBox("saiz") { w in
                        w.u8(sizes.count == 1 ? UInt8(largest) : 0)
                        w.u32(count)
                        if sizes.count != 1 { for info in infos { w.u8(UInt8(info.count)) } }
                    }
                    w.fullBox("saio") { w in
                        w.u32(1)
                        saioAt = w.buffer.writerIndex
                        w.u32(0)  // patched below: where the first sample's information is
                    }
                    w.fullBox("senc", flags: CommonEncryption.useSubsamples) { w in
                        w.u32(count)
                        sencAt = w.buffer.writerIndex
                        for info in infos { w.bytes(info) }
                    }
                }
            }
        }
        let grown = w.buffer.writerIndex - (moof.end - moof.start)
        for at in movedOffsets {
            let offset: Int32 = w.buffer.getInteger(at: at) ?? 0
            w.buffer.setInteger(offset + Int32(grown), at: at)
        }
        // Offsets count from the moof (default-base-is-moof, or the first traf's implicit base).
        if saioAt > 0 { w.buffer.setInteger(UInt32(sencAt), at: saioAt) }
        return w.buffer
    }
}
