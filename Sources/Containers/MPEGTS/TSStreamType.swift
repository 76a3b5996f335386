import MediaCore

/// The PMT `stream_type` values the muxer writes and the demuxer reads (ISO/IEC 13818-1 Table
/// 2-34). Other values (0x06 private data, 0x15 metadata, ...) are listed in a PMT but not carried.
public enum TSStreamType: UInt8, Sendable, Hashable {
    /// ISO/IEC 13818-7 audio with ADTS transport syntax.
    case aacADTS = 0x0F
    /// ITU-T H.264 | ISO/IEC 14496-10 video (Annex B byte stream).
    case h264 = 0x1B
    /// ITU-T H.265 | ISO/IEC 23008-2 video (Annex B byte stream).
    case hevc = 0x24

    public init?(codec: Codec) {
        switch codec {
        case .h264: self = .h264
        case .hevc: self = .hevc
        case .aac: self = .aacADTS
        case .av1, .opus: return nil
        }
    }

    public var codec: Codec {
        switch self {
        case .aacADTS: .aac
        case .h264: .h264
        case .hevc: .hevc
        }
    }
}
