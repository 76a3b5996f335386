extension SpliceInfoSection {
    /// When the cue splices, on the transport stream's 33-bit 90 kHz clock: its `pts_time` plus
    /// `pts_adjustment`, modulo 2^33 (ANSI/SCTE 35 2022 §9.6.1, §9.8.1). A component-mode
    /// `splice_insert()` splices at its earliest component. Nil for a splice that happens at once
    /// (`splice_immediate_flag`, a `time_signal()` without a time) or a command without a time.
    var spliceTime: UInt64? {
        let time: UInt64?
        switch command {
        case .insert(let insert): time = insert.ptsTime ?? insert.components.compactMap(\.ptsTime).min()
        case .timeSignal(let ptsTime): time = ptsTime
        case .null, .other: time = nil
        }
        return time.map { ($0 &+ ptsAdjustment) & Self.ptsMask }
    }
}
