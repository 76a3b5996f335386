import MediaCore

/// The elementary streams the demuxer reads, by their PMT `stream_type` (ISO/IEC 13818-1 Table
/// 2-34) and, for private data, their descriptors; the muxer writes them all. Other streams
/// (other private data, 0x15 metadata, ...) are listed in a PMT but not carried.
public enum TSStreamType: Sendable, Hashable {
    /// ISO/IEC 13818-7 audio with ADTS transport syntax (0x0F).
    case aacADTS
    /// ITU-T H.264 | ISO/IEC 14496-10 video, Annex B byte stream (0x1B).
    case h264
    /// ITU-T H.265 | ISO/IEC 23008-2 video, Annex B byte stream (0x24).
    case hevc
    /// Opus in PES private data (0x06) marked by a registration descriptor `Opus`, as the ETSI TS
    /// "Opus in MPEG-2 TS" draft (v0.1.3) maps it and FFmpeg writes it. `channelConfigCode` is its
    /// `opus_audio_descriptor`'s (the draft's Table 4-2), nil when the PMT lists none.
    case opus(channelConfigCode: UInt8?)

    /// Recognises a PMT entry; nil for streams that are not carried.
    init?(_ entry: ProgramMapTable.Stream) {
        switch entry.streamType {
        case Self.aacADTS.pmtValue: self = .aacADTS
        case Self.h264.pmtValue: self = .h264
        case Self.hevc.pmtValue: self = .hevc
        case Self.privateData:
            let descriptors = TSDescriptor.list(entry.descriptors)
            guard descriptors.contains(where: { $0.tag == TSDescriptor.registrationTag && $0.body.starts(with: Self.opusFormatIdentifier) })
            else { return nil }
            // The opus_audio_descriptor is an extension descriptor (Table 2-103 bis) whose first
            // byte is its extension tag 0x80 (the draft's provisional user-defined value).
            let opus = descriptors.first { $0.tag == TSDescriptor.extensionTag && $0.body.first == Self.opusExtensionTag }
            self = .opus(channelConfigCode: opus.flatMap { $0.body.dropFirst().first })
        default: return nil
        }
    }

    /// The `stream_type` of its PMT entry.
    public var pmtValue: UInt8 {
        switch self {
        case .aacADTS: 0x0F
        case .h264: 0x1B
        case .hevc: 0x24
        case .opus: Self.privateData
        }
    }

    /// The PMT entry's descriptors: for Opus the registration descriptor and the
    /// `opus_audio_descriptor` the demuxer reads, in the order FFmpeg writes them.
    var pmtDescriptors: [UInt8] {
        guard case .opus(let code?) = self else { return [] }
        return [TSDescriptor.registrationTag, UInt8(Self.opusFormatIdentifier.count)] + Self.opusFormatIdentifier
            + [TSDescriptor.extensionTag, 2, Self.opusExtensionTag, code]
    }

    /// The PES `stream_id` (Table 2-22): the first video or audio stream, and `private_stream_1`
    /// for Opus, as FFmpeg writes it.
    var pesStreamID: UInt8 {
        switch self {
        case .h264, .hevc: TS.videoStreamID
        case .aacADTS: TS.audioStreamID
        case .opus: TS.privateStream1ID
        }
    }

    public var codec: Codec {
        switch self {
        case .aacADTS: .aac
        case .h264: .h264
        case .hevc: .hevc
        case .opus: .opus
        }
    }

    /// `stream_type` 0x06: PES packets containing private data (Table 2-34).
    static let privateData: UInt8 = 0x06
    /// The registration descriptor's `format_identifier` for Opus (SMPTE-RA registered "Opus").
    static let opusFormatIdentifier: [UInt8] = Array("Opus".utf8)
    /// `extension_descriptor_tag` of the `opus_audio_descriptor` (ETSI TS Opus draft Table 4-2).
    static let opusExtensionTag: UInt8 = 0x80
}
