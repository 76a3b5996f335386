import NIOCore

extension FMP4Reader {
    static let moof = fourCC("moof"), traf = fourCC("traf"), tfhd = fourCC("tfhd"), tfdt = fourCC("tfdt")
    static let trun = fourCC("trun"), mdat = fourCC("mdat")

    /// `tfhd` flags (§8.8.7.1).
    static let baseDataOffsetPresent: UInt32 = 0x00_0001
    static let sampleDescriptionIndexPresent: UInt32 = 0x00_0002
    static let defaultDurationPresent: UInt32 = 0x00_0008
    static let defaultSizePresent: UInt32 = 0x00_0010
    static let defaultFlagsPresent: UInt32 = 0x00_0020
    static let durationIsEmpty: UInt32 = 0x01_0000
    static let defaultBaseIsMoof: UInt32 = 0x02_0000

    /// The samples of `track` in one media segment (`styp`? then `moof` + `mdat` pairs, ISO/IEC
    /// 14496-12 §8.8.4), in decode order, each pointing into `segment` by offset.
    public static func samples(inSegment segment: ByteBuffer, track: MP4Track, source: Int) throws(ContainersError) -> [MP4Sample] {
        var samples: [MP4Sample] = []
        try appendSamples(inSegment: segment, track: track, source: source, to: &samples)
        return samples
    }

    /// Appends the samples of `track` in `segment` to `samples`, so one array can collect a
    /// whole archive range without intermediate copies. On error, `samples` is left as it was.
    public static func appendSamples(inSegment segment: ByteBuffer, track: MP4Track, source: Int,
                                     to samples: inout [MP4Sample]) throws(ContainersError) {
        let firstNew = samples.count
        do {
            var top = BoxReader(segment)
            var state = FragmentState(segment: segment, track: track, source: source, firstNew: firstNew)
            var mdats: [Range<Int>] = []
            while let box = try top.nextBox() {
                if box.type == moof {
                    try state.readMovieFragment(box, top.children(of: box), into: &samples)
                } else if box.type == mdat {
                    mdats.append(box.bodyStart..<box.end)
                }
            }
            try checkRuns(state.runs, lieIn: mdats)
        } catch {
            samples.removeSubrange(firstNew...)
            throw error
        }
    }

    /// Every run's bytes must lie inside one `mdat` body: an offset that points at a `moof` or
    /// past the data would otherwise copy the wrong bytes into a clip without any error.
    static func checkRuns(_ runs: [Range<Int>], lieIn mdats: [Range<Int>]) throws(ContainersError) {
        for run in runs where !run.isEmpty {
            // The last mdat starting at or before the run (mdats are in file order).
            var low = 0, high = mdats.count
            while low < high {
                let mid = (low + high) / 2
                if mdats[mid].lowerBound <= run.lowerBound { low = mid + 1 } else { high = mid }
            }
            guard low > 0, run.upperBound <= mdats[low - 1].upperBound else {
                throw .invalid(what: "trun", reason: "sample data \(run) is not inside an mdat")
            }
        }
    }
}
