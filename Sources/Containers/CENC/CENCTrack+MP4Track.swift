extension CENCTrack {
    /// The layout of a track read from an init segment, from its sample entry: `avc1`/`avc3`
    /// with `avcC`, `hvc1`/`hev1` with `hvcC` (the NAL length size as ``init(_:)-(TrackInfo)``
    /// reads it), `mp4a` and `Opus` whole samples.
    public init(_ track: MP4Track) throws(ContainersError) {
        let entry = track.sampleEntry
        switch track.sampleEntryType {
        case "mp4a", "Opus":
            self.init(layout: .wholeSample)
        case "avc1", "avc3", "hvc1", "hev1":
            let hevc = track.sampleEntryType.hasPrefix("h")
            // VisualSampleEntry fields end 78 bytes into the body (ISO/IEC 14496-12 §12.1.3).
            var position = 8 + 78
            let wanted = Array((hevc ? "hvcC" : "avcC").utf8)
            let at = hevc ? 21 : 4
            while position + 8 <= entry.count {
                let size = entry[position..<(position + 4)].reduce(0) { $0 << 8 | Int($1) }
                guard size >= 8, position + size <= entry.count else { break }
                if Array(entry[(position + 4)..<(position + 8)]) == wanted, size > 8 + at {
                    self.init(layout: .nalUnits(lengthSize: Int(entry[position + 8 + at] & 3) + 1, hevc: hevc))
                    return
                }
                position += size
            }
            throw .invalid(what: track.sampleEntryType, reason: "no \(String(decoding: wanted, as: UTF8.self))")
        default:
            throw .unsupported(what: "cbcs", reason: "sample entry \(track.sampleEntryType)")
        }
    }
}
