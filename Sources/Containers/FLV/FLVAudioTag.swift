import NIOCore

/// Audio codecs carried in FLV audio tags: legacy SoundFormat 10 (AAC) or Enhanced RTMP v2 FourCCs.
public enum FLVAudioCodec: Sendable, Hashable, CaseIterable {
    case aac, opus

    /// Enhanced RTMP v2 `AudioFourCc`.
    public var fourCC: String {
        switch self {
        case .aac: "mp4a"
        case .opus: "Opus"
        }
    }

    init?(fourCC: UInt32) {
        switch fourCC {
        case 0x6D70_3461: self = .aac  // "mp4a"
        case 0x4F70_7573: self = .opus  // "Opus"
        default: return nil
        }
    }
}

/// A parsed FLV audio tag body: legacy `AUDIODATA` with `AACAUDIODATA` (FLV spec v10.1 §E.4.2.1)
/// or Enhanced RTMP v2 `ExAudioTagHeader` (SoundFormat 9, AudioPacketType, FourCC).
public enum FLVAudioTag: Sendable, Hashable {
    /// AudioSpecificConfig (AAC) or OpusHead (Opus).
    case sequenceStart(FLVAudioCodec, config: ByteBuffer)
    /// One raw frame: AAC without ADTS header, or one Opus packet.
    case codedFrame(FLVAudioCodec, data: ByteBuffer)
    case sequenceEnd(FLVAudioCodec)

    static let soundFormatAAC: UInt8 = 10
    static let soundFormatExHeader: UInt8 = 9
    /// Legacy AAC header byte: SoundFormat 10, SoundRate 3 (44 kHz), SoundSize 1 (16-bit), SoundType
    /// 1 (stereo) — the spec says AAC always uses these values; decoders read the ASC instead.
    static let legacyAACHeader: UInt8 = 0xAF

    public init(parsing body: ByteBuffer) throws(ContainersError) {
        var b = body
        guard let first: UInt8 = b.readInteger() else { throw .truncated(what: "FLV audio tag", needed: 1, available: 0) }
        let soundFormat = first >> 4
        if soundFormat == Self.soundFormatExHeader {
            let packetType = first & 0x0F
            guard let fourCCValue: UInt32 = b.readInteger() else {
                throw .truncated(what: "ExAudioTagHeader FourCC", needed: 5, available: body.readableBytes)
            }
            guard let codec = FLVAudioCodec(fourCC: fourCCValue) else {
                throw .unsupported(what: "ExAudioTagHeader", reason: "FourCC \(String(format4CC: fourCCValue))")
            }
            switch packetType {
            case 0: self = .sequenceStart(codec, config: b)
            case 1: self = .codedFrame(codec, data: b)
            case 2: self = .sequenceEnd(codec)
            default: throw .unsupported(what: "ExAudioTagHeader", reason: "AudioPacketType \(packetType)")
            }
            return
        }
        guard soundFormat == Self.soundFormatAAC else {
            throw .unsupported(what: "FLV audio tag", reason: "SoundFormat \(soundFormat) (only 10, AAC)")
        }
        guard let packetType: UInt8 = b.readInteger() else { throw .truncated(what: "AACAUDIODATA", needed: 2, available: 1) }
        switch packetType {
        case 0: self = .sequenceStart(.aac, config: b)
        case 1: self = .codedFrame(.aac, data: b)
        default: throw .invalid(what: "AACAUDIODATA", reason: "AACPacketType \(packetType)")
        }
    }

    /// Serialises the tag body: legacy AAC unless `enhanced` is set; Opus always uses ExAudioTagHeader.
    /// Legacy AAC has no end-of-sequence packet, so `.sequenceEnd(.aac)` is always enhanced.
    public func serialized(enhanced: Bool = false) -> ByteBuffer {
        var out = ByteBufferAllocator().buffer(capacity: 8)
        func ex(_ packetType: UInt8, _ codec: FLVAudioCodec) {
            out.writeInteger(Self.soundFormatExHeader << 4 | packetType)
            out.writeBytes(Array(codec.fourCC.utf8))
        }
        switch self {
        case .sequenceStart(let codec, var config):
            if codec == .aac, !enhanced { out.writeBytes([Self.legacyAACHeader, 0]) } else { ex(0, codec) }
            out.writeBuffer(&config)
        case .codedFrame(let codec, var data):
            if codec == .aac, !enhanced { out.writeBytes([Self.legacyAACHeader, 1]) } else { ex(1, codec) }
            out.writeBuffer(&data)
        case .sequenceEnd(let codec):
            ex(2, codec)
        }
        return out
    }
}
