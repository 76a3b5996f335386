/// The renditions a channel offers: optionally the source untouched, the transcoded rungs, and how
/// the audio is carried.
///
/// Audio is one shared rendition (`audio`) for every video rendition. When ``audio`` is nil the
/// source's AAC is passed through as that rendition and the transcoder encodes video only; when it
/// is set the transcoder encodes AAC with it.
///
/// ## JSON
///
/// A custom ladder comes from the configuration file:
///
/// ```json
/// {
///   "includeSource": false,
///   "rungs": [
///     { "name": "720p", "width": 1280, "height": 720, "videoBitrate": "2500k", "profile": "main" },
///     { "name": "360p", "width": 640, "height": 360, "videoBitrate": "700k", "maxFrameRate": 30 }
///   ],
///   "audio": { "bitrate": "64k", "channels": 2 },
///   "audioOnlyVariant": true
/// }
/// ```
///
/// Every key is optional: `includeSource` and `audioOnlyVariant` default to false, `rungs` to
/// none, and a missing or null `audio` passes the source audio through. Rung keys are described
/// on ``LadderRung``. Decoding only parses; call ``validate()`` before use.
public struct Ladder: Sendable, Hashable {
    /// At most this many rungs. Each rung is a full encoder inside one FFmpeg process (and one
    /// MPEG-TS PID); 16 is well above any published ABR ladder (Apple's HLS authoring guide lists
    /// nine video variants) and keeps one channel's CPU bounded.
    public static let maximumRungCount = 16
    /// The rendition name of the untouched source.
    public static let sourceRenditionName = "source"
    /// The rendition name of the shared audio.
    public static let audioRenditionName = "audio"

    /// Offer the source untouched as rendition `source`.
    public var includeSource: Bool
    /// Transcoded renditions, best first; the transcoder's output streams follow this order.
    public var rungs: [LadderRung]
    /// AAC encoding for the shared audio rendition; nil passes the source audio through.
    public var audio: AudioEncoding?
    /// The multivariant playlist also lists the audio rendition as an audio-only variant.
    public var audioOnlyVariant: Bool

    public init(
        includeSource: Bool,
        rungs: [LadderRung],
        audio: AudioEncoding? = nil,
        audioOnlyVariant: Bool = false
    ) {
        self.includeSource = includeSource
        self.rungs = rungs
        self.audio = audio
        self.audioOnlyVariant = audioOnlyVariant
    }

    /// Checks the rung count, every rung, name uniqueness and the audio encoding.
    public func validate() throws(TranscoderError) {
        guard rungs.count <= Self.maximumRungCount else {
            throw .tooManyRungs(count: rungs.count, limit: Self.maximumRungCount)
        }
        guard includeSource || !rungs.isEmpty else { throw .emptyLadder }
        var names: Set<String> = []
        for rung in rungs {
            try rung.validate()
            guard names.insert(rung.name).inserted else { throw .duplicateRungName(rung.name) }
        }
        try audio?.validate()
    }

    /// True when the channel needs an FFmpeg process: some rung to encode, or audio to encode
    /// from a source that has audio.
    public func needsTranscoding(sourceHasAudio: Bool) -> Bool {
        !rungs.isEmpty || (audio != nil && sourceHasAudio)
    }
}

extension Ladder: Codable {
    enum CodingKeys: String, CodingKey {
        case includeSource, rungs, audio, audioOnlyVariant
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            includeSource: try container.decodeIfPresent(Bool.self, forKey: .includeSource) ?? false,
            rungs: try container.decodeIfPresent([LadderRung].self, forKey: .rungs) ?? [],
            audio: try container.decodeIfPresent(AudioEncoding.self, forKey: .audio),
            audioOnlyVariant: try container.decodeIfPresent(Bool.self, forKey: .audioOnlyVariant) ?? false
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(includeSource, forKey: .includeSource)
        try container.encode(rungs, forKey: .rungs)
        if let audio { try container.encode(audio, forKey: .audio) } else { try container.encodeNil(forKey: .audio) }
        try container.encode(audioOnlyVariant, forKey: .audioOnlyVariant)
    }
}
