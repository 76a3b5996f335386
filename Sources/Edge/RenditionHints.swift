import Containers
import Manifests
import MediaCore

/// What an origin's multivariant playlist says of one rendition; with the init segment's track,
/// the `TrackInfo` the edge's playlists are rendered from (so they describe it as the origin does).
struct RenditionHints: Sendable, Hashable {
    var name: String
    var mediaType: MediaType
    /// RFC 6381, as the origin lists it.
    var codecs: String
    var resolution: MultivariantPlaylist.Resolution?
    var frameRate: Rational?
    var channels: Int?
    /// The caption channels of the origin's variant: its `CLOSED-CAPTIONS` group's `INSTREAM-ID`s,
    /// none for `NONE`; nil where it says nothing. The edge's playlists say the same.
    var captions: CaptionChannels?
    /// The audio's `LANGUAGE` in the origin's group, when it is a valid tag.
    var language: LanguageTag?

    /// The track of `initSegment`'s movie, described as the origin's playlist does.
    func track(_ movie: MP4Track) throws(EdgeError) -> TrackInfo {
        guard let codec = Self.codec(codecs), codec.mediaType == movie.mediaType else {
            throw .unusable(url: name, reason: "codecs \(codecs) do not match the init segment's \(movie.sampleEntryType)")
        }
        let video = movie.mediaType == .video
            ? VideoParameters(width: resolution?.width ?? movie.width, height: resolution?.height ?? movie.height, frameRate: frameRate)
            : nil
        // Samples per frame: AAC-LC's 1024; Opus at 48 kHz in 20 ms frames.
        let audio = movie.mediaType == .audio
            ? AudioParameters(sampleRate: Int(movie.timescale), channelCount: channels ?? 2, samplesPerFrame: codec == .opus ? 960 : 1_024)
            : nil
        return TrackInfo(codec: codec, timescale: movie.timescale, decoderConfig: [], codecString: codecs, video: video, audio: audio,
                         language: language)
    }

    /// The codec of an RFC 6381 string's sample entry (ISO/IEC 14496-15, RFC 6381 §3.3, the AV1
    /// and Opus ISOBMFF bindings).
    static func codec(_ codecs: String) -> Codec? {
        let entry = codecs.prefix { $0 != "." }
        switch entry {
        case "avc1", "avc3": return .h264
        case "hvc1", "hev1": return .hevc
        case "av01": return .av1
        case "mp4a": return .aac
        case "Opus", "opus": return .opus
        default: return nil
        }
    }

    /// The renditions of an origin's multivariant playlist, as Antenne renders them
    /// (`PlaylistBuilder.multivariant`): video variants in order, then the audio group; whether
    /// the audio alone is offered as a variant too.
    static func renditions(of playlist: MultivariantPlaylist) throws(EdgeError) -> (renditions: [RenditionHints], audioOnlyVariant: Bool) {
        let audioCodec = playlist.variants.first { $0.codecs.count > 1 }?.codecs.last
            ?? playlist.variants.first { variant in playlist.renditions.contains { $0.uri == variant.uri } }?.codecs.first
        var video: [RenditionHints] = []
        var audioOnlyVariant = false
        for variant in playlist.variants {
            let name = try renditionName(variant.uri)
            if playlist.renditions.contains(where: { $0.uri == variant.uri }) {
                audioOnlyVariant = true
                continue
            }
            guard let codecs = variant.codecs.first else { throw .unusable(url: variant.uri, reason: "a variant without CODECS") }
            let captions: CaptionChannels?
            switch variant.closedCaptions {
            case .group(let id)?:
                captions = CaptionChannels(instreamIDs: playlist.renditions.filter { $0.type == .closedCaptions && $0.groupID == id }.compactMap(\.instreamID))
            case .notCarried?: captions = CaptionChannels()
            case nil: captions = nil
            }
            video.append(RenditionHints(name: name, mediaType: .video, codecs: codecs, resolution: variant.resolution, frameRate: variant.frameRate,
                                        captions: captions))
        }
        var audio: [RenditionHints] = []
        for rendition in playlist.renditions where rendition.type == .audio {
            guard let uri = rendition.uri, let codecs = audioCodec else { continue }
            audio.append(RenditionHints(name: try renditionName(uri), mediaType: .audio, codecs: codecs, channels: rendition.channels.flatMap { Int($0) },
                                        language: rendition.language.flatMap { LanguageTag($0) }))
        }
        return (video + audio, audioOnlyVariant && !video.isEmpty)
    }

    /// `{rendition}/index.m3u8` (with any query): the rendition's name, checked as a channel's.
    static func renditionName(_ uri: String) throws(EdgeError) -> String {
        let path = uri.prefix { $0 != "?" }
        guard path.hasSuffix("/index.m3u8") else { throw .unusable(url: uri, reason: "not a rendition's playlist") }
        let name = String(path.dropLast("/index.m3u8".count))
        guard EdgeDirectory.isValidName(name) else { throw .unusable(url: uri, reason: "not a rendition name") }
        return name
    }
}
