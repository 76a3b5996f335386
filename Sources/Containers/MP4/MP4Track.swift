import MediaCore

/// One track as described by a CMAF init segment, with what a clip writer needs to copy it into
/// a progressive MP4 (ISO/IEC 14496-12 §8.3 `trak`, §8.8.3 `trex`).
public struct MP4Track: Sendable, Hashable {
    /// `track_ID` of `tkhd`, which fragments name in `tfhd`.
    public var trackID: UInt32
    /// From the `hdlr` handler type: `vide` → video, `soun` → audio.
    public var mediaType: MediaType
    /// `mdhd` timescale: ticks per second of every sample time of the track.
    public var timescale: UInt32
    /// The first (and only used) sample entry of `stsd`, box header included, copied verbatim:
    /// `avc1`+`avcC`, `hvc1`+`hvcC`, `mp4a`+`esds`, …
    public var sampleEntry: [UInt8]
    /// `tkhd` width and height, 16.16 fixed point, kept as read.
    public var width16_16: UInt32
    public var height16_16: UInt32
    /// `mdhd` language: three 5-bit letters, each offset by 0x60 (ISO 639-2/T).
    public var packedLanguage: UInt16
    /// `trex` defaults, used by fragments that omit a field.
    public var defaults: MP4TrackDefaults

    public init(trackID: UInt32, mediaType: MediaType, timescale: UInt32, sampleEntry: [UInt8],
                width16_16: UInt32 = 0, height16_16: UInt32 = 0, packedLanguage: UInt16 = 0x55C4,
                defaults: MP4TrackDefaults = MP4TrackDefaults()) {
        self.trackID = trackID
        self.mediaType = mediaType
        self.timescale = timescale
        self.sampleEntry = sampleEntry
        self.width16_16 = width16_16
        self.height16_16 = height16_16
        self.packedLanguage = packedLanguage
        self.defaults = defaults
    }

    /// The sample entry type (`avc1`, `hvc1`, `mp4a`, …).
    public var sampleEntryType: String {
        sampleEntry.count >= 8 ? fourCCName(sampleEntry[4..<8].reduce(0) { $0 << 8 | UInt32($1) }) : ""
    }

    /// Displayed width and height in pixels (integer part of the `tkhd` values).
    public var width: Int { Int(width16_16 >> 16) }
    public var height: Int { Int(height16_16 >> 16) }

    /// The ISO 639-2/T code of `packedLanguage`, e.g. `und` or `eng`.
    public var language: String {
        let letters = [10, 5, 0].map { UInt8(0x60 + (packedLanguage >> UInt16($0)) & 0x1F) }
        return String(decoding: letters, as: UTF8.self)
    }
}

/// `TrackExtendsBox` defaults (§8.8.3).
public struct MP4TrackDefaults: Sendable, Hashable {
    public var sampleDescriptionIndex: UInt32
    public var sampleDuration: UInt32
    public var sampleSize: UInt32
    public var sampleFlags: UInt32

    public init(sampleDescriptionIndex: UInt32 = 1, sampleDuration: UInt32 = 0, sampleSize: UInt32 = 0, sampleFlags: UInt32 = 0) {
        self.sampleDescriptionIndex = sampleDescriptionIndex
        self.sampleDuration = sampleDuration
        self.sampleSize = sampleSize
        self.sampleFlags = sampleFlags
    }
}
