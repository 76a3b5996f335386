import MediaCore

/// Built-in ladders, chosen by name in a channel's configuration.
///
/// Rendition names are the rungs' heights (`1080p` ... `240p`); the shared audio rendition is
/// `audio` and is not a rung. All transcoded rungs use libx264 with the `veryfast` preset and
/// `zerolatency` tune, `maxrate` equal to the bitrate and a 2 s VBV buffer (`bufsize` = 2 ×
/// bitrate). Every ladder goes through ``Ladder/fitted(to:)`` against the actual source, so a
/// 720p source gets no 1080p rung.
public enum LadderPreset: String, Sendable, Hashable, Codable, CaseIterable {
    /// The source untouched and nothing else: no FFmpeg process.
    case passthrough
    /// Talks and events watched on desktops and TVs: 1080p at 4 Mbit/s, 720p at 2 Mbit/s and
    /// 540p at 1 Mbit/s, H.264 High. The source's AAC is passed through: the contribution
    /// encoder's audio is already fit for distribution, and re-encoding it would cost quality
    /// and CPU for nothing.
    case conference
    /// Phones on cellular networks: 720p at 2.5 Mbit/s, 480p at 1.2 Mbit/s, 360p at 700 kbit/s
    /// and 240p at 400 kbit/s, H.264 Main (decodable by every phone in use), capped at 30 fps.
    /// Audio is re-encoded as AAC-LC stereo at 64 kbit/s so that it fits next to the 240p rung,
    /// and is also offered as an audio-only variant for the worst connections.
    case mobile

    /// The preset's ladder, before fitting to a source.
    public var ladder: Ladder {
        switch self {
        case .passthrough:
            return Ladder(includeSource: true, rungs: [])
        case .conference:
            return Ladder(
                includeSource: false,
                rungs: [
                    Self.rung("1080p", 1920, 1080, bitrate: 4_000_000, profile: "high"),
                    Self.rung("720p", 1280, 720, bitrate: 2_000_000, profile: "high"),
                    Self.rung("540p", 960, 540, bitrate: 1_000_000, profile: "high"),
                ]
            )
        case .mobile:
            let cap = Rational(30, 1)
            return Ladder(
                includeSource: false,
                rungs: [
                    Self.rung("720p", 1280, 720, bitrate: 2_500_000, profile: "main", maxFrameRate: cap),
                    Self.rung("480p", 854, 480, bitrate: 1_200_000, profile: "main", maxFrameRate: cap),
                    Self.rung("360p", 640, 360, bitrate: 700_000, profile: "main", maxFrameRate: cap),
                    Self.rung("240p", 426, 240, bitrate: 400_000, profile: "main", maxFrameRate: cap),
                ],
                audio: AudioEncoding(bitrate: 64_000, channels: 2),
                audioOnlyVariant: true
            )
        }
    }

    private static func rung(
        _ name: String, _ width: Int, _ height: Int, bitrate: Int, profile: String, maxFrameRate: Rational? = nil
    ) -> LadderRung {
        LadderRung(
            name: name, width: width, height: height, maxFrameRate: maxFrameRate, codec: .h264, profile: profile,
            videoBitrate: bitrate, maxrate: bitrate, bufsize: 2 * bitrate
        )
    }
}
