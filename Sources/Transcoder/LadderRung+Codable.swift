import MediaCore

/// The JSON form of a rung (see ``Ladder`` for the whole document):
///
/// ```json
/// { "name": "720p", "width": 1280, "height": 720, "videoBitrate": "2500k",
///   "maxrate": "2500k", "bufsize": "5M", "maxFrameRate": "30",
///   "codec": "h264", "profile": "main", "preset": "veryfast", "tune": "zerolatency" }
/// ```
///
/// Only `name`, `width`, `height` and `videoBitrate` are required. Bitrates are a number of bits
/// per second or a string with a `k` (1 000) or `M` (1 000 000) suffix. `maxFrameRate` is a whole
/// number or a `"num/den"` string. Missing fields take the defaults of
/// ``LadderRung/init(name:width:height:maxFrameRate:codec:profile:videoBitrate:maxrate:bufsize:preset:tune:)``;
/// `"tune": null` turns the tune off. Decoding does not validate: call ``Ladder/validate()``.
extension LadderRung: Codable {
    enum CodingKeys: String, CodingKey {
        case name, width, height, maxFrameRate, codec, profile, videoBitrate, maxrate, bufsize, preset, tune
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let codec = try container.decodeIfPresent(LadderCodec.self, forKey: .codec) ?? .h264
        let videoBitrate = try container.decodeBitrate(forKey: .videoBitrate)
        var tune: String? = Self.defaultTune
        if container.contains(.tune) {
            tune = try container.decodeNil(forKey: .tune) ? nil : container.decode(String.self, forKey: .tune)
        }
        self.init(
            name: try container.decode(String.self, forKey: .name),
            width: try container.decode(Int.self, forKey: .width),
            height: try container.decode(Int.self, forKey: .height),
            maxFrameRate: try container.decodeFrameRateIfPresent(forKey: .maxFrameRate),
            codec: codec,
            profile: try container.decodeIfPresent(String.self, forKey: .profile),
            videoBitrate: videoBitrate,
            maxrate: try container.contains(.maxrate) ? container.decodeBitrate(forKey: .maxrate) : nil,
            bufsize: try container.contains(.bufsize) ? container.decodeBitrate(forKey: .bufsize) : nil,
            preset: try container.decodeIfPresent(String.self, forKey: .preset) ?? Self.defaultPreset,
            tune: tune
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(width, forKey: .width)
        try container.encode(height, forKey: .height)
        if let maxFrameRate { try container.encode(FrameRateNotation.format(maxFrameRate), forKey: .maxFrameRate) }
        try container.encode(codec, forKey: .codec)
        try container.encode(profile, forKey: .profile)
        try container.encode(BitrateNotation.format(videoBitrate), forKey: .videoBitrate)
        try container.encode(BitrateNotation.format(maxrate), forKey: .maxrate)
        try container.encode(BitrateNotation.format(bufsize), forKey: .bufsize)
        try container.encode(preset, forKey: .preset)
        if let tune { try container.encode(tune, forKey: .tune) } else { try container.encodeNil(forKey: .tune) }
    }
}
