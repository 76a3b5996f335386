import MediaCore

/// One rendition the transcoder encodes: a size, a codec and a rate-control budget.
///
/// The name is the rendition's path component in the playback URLs
/// (`hls/{channel}/{name}/index.m3u8`), so it is limited to `[a-z0-9_-]{1,32}`.
/// Bitrates are in bits per second. `maxrate` and `bufsize` configure the VBV (the encoder's
/// model of the player's buffer): a 1 s buffer (`bufsize` = `maxrate`) keeps segments even, 2 s
/// leaves the encoder room for hard scenes.
///
/// See ``Ladder`` for the JSON form.
public struct LadderRung: Sendable, Hashable {
    /// Width and height must be even (4:2:0 chroma) and within this range: 16 is the size of one
    /// macroblock, 7680 the width of 8K UHD.
    public static let dimensionRange = 16...7680

    /// The x264/x265 preset used when a configuration names none: a good quality/CPU trade-off
    /// for live encoding of several rungs on one machine.
    public static let defaultPreset = "veryfast"
    /// The tune used when a configuration names none. `zerolatency` removes the encoder's
    /// look-ahead and B-frames, so a frame leaves the encoder as soon as it is coded.
    public static let defaultTune = "zerolatency"

    /// The rendition name, e.g. `720p`.
    public var name: String
    public var width: Int
    public var height: Int
    /// Frames closer together than this rate allows are dropped; nil keeps every frame. A cap at or
    /// above the source's rate has no effect (``Ladder/fitted(to:)`` removes it).
    public var maxFrameRate: Rational?
    public var codec: LadderCodec
    /// Encoder profile, e.g. `high` or `main` (see ``LadderCodec/profiles``).
    public var profile: String
    /// Target average bitrate, in bits per second.
    public var videoBitrate: Int
    /// VBV maximum rate, in bits per second; at least `videoBitrate`.
    public var maxrate: Int
    /// VBV buffer size, in bits.
    public var bufsize: Int
    /// x264/x265 speed preset, e.g. `veryfast`.
    public var preset: String
    /// x264/x265 tune, or nil for none.
    public var tune: String?

    /// A rung. `maxrate` defaults to `videoBitrate` and `bufsize` to twice `videoBitrate`.
    public init(
        name: String,
        width: Int,
        height: Int,
        maxFrameRate: Rational? = nil,
        codec: LadderCodec = .h264,
        profile: String? = nil,
        videoBitrate: Int,
        maxrate: Int? = nil,
        bufsize: Int? = nil,
        preset: String = LadderRung.defaultPreset,
        tune: String? = LadderRung.defaultTune
    ) {
        self.name = name
        self.width = width
        self.height = height
        self.maxFrameRate = maxFrameRate
        self.codec = codec
        self.profile = profile ?? codec.defaultProfile
        self.videoBitrate = videoBitrate
        self.maxrate = maxrate ?? videoBitrate
        self.bufsize = bufsize ?? 2 * videoBitrate
        self.preset = preset
        self.tune = tune
    }

    /// Checks everything but name uniqueness (``Ladder/validate()`` does that).
    public func validate() throws(TranscoderError) {
        try Self.validateName(name)
        guard width % 2 == 0, height % 2 == 0,
              Self.dimensionRange.contains(width), Self.dimensionRange.contains(height)
        else { throw .invalidDimensions(rung: name, width: width, height: height) }
        if let maxFrameRate, !maxFrameRate.isPositive { throw .invalidFrameRate(rung: name) }
        for (field, value) in [("videoBitrate", videoBitrate), ("maxrate", maxrate), ("bufsize", bufsize)] where value <= 0 {
            throw .invalidBitrate(rung: name, field: field, value: value)
        }
        guard maxrate >= videoBitrate else {
            throw .maxrateBelowBitrate(rung: name, videoBitrate: videoBitrate, maxrate: maxrate)
        }
        try check("profile", profile, in: codec.profiles)
        try check("preset", preset, in: codec.presets)
        if let tune { try check("tune", tune, in: codec.tunes) }
    }

    /// Names that Antenne gives its own renditions.
    public static let reservedNames: Set<String> = [Ladder.sourceRenditionName, Ladder.audioRenditionName]
    /// The longest rendition name.
    public static let maximumNameLength = 32

    /// Checks `[a-z0-9_-]{1,32}` and the reserved names.
    public static func validateName(_ name: String) throws(TranscoderError) {
        guard (1...maximumNameLength).contains(name.utf8.count),
              name.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F || $0 == 0x2D })
        else { throw .invalidRungName(name) }
        guard !reservedNames.contains(name) else { throw .reservedRungName(name) }
    }

    private func check(_ option: String, _ value: String, in allowed: [String]) throws(TranscoderError) {
        guard allowed.contains(value) else {
            throw .unsupportedEncoderOption(rung: name, option: option, value: value, allowed: allowed)
        }
    }
}
