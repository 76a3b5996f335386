import NIOCore

/// What reading one media segment carries from box to box.
struct FragmentState {
    let segment: ByteBuffer
    let track: MP4Track
    let source: Int
    /// Index in the output array of this segment's first sample (for the per-segment limit).
    let firstNew: Int
    /// Decode time of the next sample: from `tfdt`, then advanced by each duration.
    var decodeTime: Int64?
    /// Absolute byte ranges of every run's data, checked against the `mdat`s at the end.
    var runs: [Range<Int>] = []

    init(segment: ByteBuffer, track: MP4Track, source: Int, firstNew: Int) {
        self.segment = segment
        self.track = track
        self.source = source
        self.firstNew = firstNew
    }

    /// `moof` (§8.8.4): the `traf`s of our track.
    mutating func readMovieFragment(_ moofBox: BoxHeader, _ children: BoxReader, into samples: inout [MP4Sample]) throws(ContainersError) {
        var boxes = children
        // Without default-base-is-moof or base_data_offset, the first traf's base is the moof and
        // each next one starts where the previous traf's data ended (§8.8.7.1).
        var implicitBase = moofBox.start
        while let box = try boxes.nextBox() {
            guard box.type == FMP4Reader.traf else { continue }
            if let end = try readTrackFragment(moofBox, boxes.children(of: box), implicitBase: implicitBase, into: &samples) {
                implicitBase = end
            }
        }
    }

    /// `traf` (§8.8.6): `tfhd`, `tfdt`, then `trun`s. Returns where its data ended, or nil for
    /// another track's fragment.
    mutating func readTrackFragment(_ moofBox: BoxHeader, _ children: BoxReader, implicitBase: Int,
                                    into samples: inout [MP4Sample]) throws(ContainersError) -> Int? {
        var boxes = children
        guard let header = try boxes.first(FMP4Reader.tfhd) else { throw .invalid(what: "traf", reason: "no tfhd") }
        var r = boxes.body(of: header)
        let (_, flags) = try r.versionAndFlags("tfhd")
        guard try r.u32("tfhd track_ID") == track.trackID else { return nil }
        var base = implicitBase
        if flags & FMP4Reader.baseDataOffsetPresent != 0 {
            let offset = try r.u64("tfhd base_data_offset")
            guard offset <= UInt64(segment.readableBytes) else {
                throw .invalid(what: "tfhd", reason: "base_data_offset \(offset) is past the segment end")
            }
            base = segment.readerIndex + Int(offset)
        } else if flags & FMP4Reader.defaultBaseIsMoof != 0 {
            base = moofBox.start
        }
        var defaults = track.defaults
        if flags & FMP4Reader.sampleDescriptionIndexPresent != 0 { defaults.sampleDescriptionIndex = try r.u32("tfhd") }
        if flags & FMP4Reader.defaultDurationPresent != 0 { defaults.sampleDuration = try r.u32("tfhd") }
        if flags & FMP4Reader.defaultSizePresent != 0 { defaults.sampleSize = try r.u32("tfhd") }
        if flags & FMP4Reader.defaultFlagsPresent != 0 { defaults.sampleFlags = try r.u32("tfhd") }
        guard defaults.sampleDescriptionIndex == 1 else {
            throw .unsupported(what: "tfhd", reason: "sample_description_index \(defaults.sampleDescriptionIndex) (only the first entry is kept)")
        }
        if flags & FMP4Reader.durationIsEmpty != 0 { return base }

        var all = children
        while let box = try all.nextBox() {
            guard box.type == FMP4Reader.tfdt else { continue }
            var t = all.body(of: box)
            let (version, _) = try t.versionAndFlags("tfdt")
            let time = version == 1 ? try t.u64("tfdt") : UInt64(try t.u32("tfdt"))
            guard time <= UInt64(Int64.max) else { throw .invalid(what: "tfdt", reason: "baseMediaDecodeTime \(time)") }
            decodeTime = Int64(time)
        }
        var dataEnd = base
        all = children
        while let box = try all.nextBox() {
            guard box.type == FMP4Reader.trun else { continue }
            dataEnd = try readTrackRun(all.body(of: box), base: base, previousEnd: dataEnd, defaults: defaults, into: &samples)
        }
        return dataEnd
    }
}
