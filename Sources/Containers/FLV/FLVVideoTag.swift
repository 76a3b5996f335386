import NIOCore

/// Video codecs carried in FLV video tags: legacy CodecID 7 (AVC) or Enhanced RTMP FourCCs.
public enum FLVVideoCodec: Sendable, Hashable, CaseIterable {
    case avc, hevc, av1

    /// Enhanced RTMP v1 `VideoFourCc`.
    public var fourCC: String {
        switch self {
        case .avc: "avc1"
        case .hevc: "hvc1"
        case .av1: "av01"
        }
    }

    init?(fourCC: UInt32) {
        switch fourCC {
        case 0x6176_6331: self = .avc  // "avc1"
        case 0x6876_6331: self = .hevc  // "hvc1"
        case 0x6176_3031: self = .av1  // "av01"
        default: return nil
        }
    }
}

/// `FrameType` of a video tag (FLV spec §E.4.3.1; Enhanced RTMP keeps the values in 3 bits).
public enum FLVVideoFrameType: UInt8, Sendable, Hashable {
    case key = 1
    case inter = 2
    case disposableInter = 3
    case generatedKey = 4
    case command = 5
}

/// A parsed FLV video tag body: legacy `VIDEODATA` with `AVCVIDEOPACKET` (FLV spec v10.1 §E.4.3.1)
/// or Enhanced RTMP v1 `ExVideoTagHeader` (IsExHeader set, PacketType, FourCC).
public enum FLVVideoTag: Sendable, Hashable {
    /// Decoder configuration: `avcC`, `hvcC` or `av1C` payload (AVCPacketType 0 / PacketTypeSequenceStart).
    case sequenceStart(FLVVideoCodec, config: ByteBuffer)
    /// One access unit: length-prefixed NAL units (AVC, HEVC) or low-overhead OBUs (AV1).
    /// `compositionTime` is the SI24 offset in milliseconds (0 for CodedFramesX and AV1).
    case codedFrame(FLVVideoCodec, frameType: FLVVideoFrameType, compositionTime: Int32, data: ByteBuffer)
    /// End of sequence (AVCPacketType 2 / PacketTypeSequenceEnd).
    case sequenceEnd(FLVVideoCodec)
    /// Enhanced RTMP PacketTypeMetadata: AMF-encoded HDR/colour metadata, passed through.
    case metadata(FLVVideoCodec, ByteBuffer)
    /// Video info/command frame (FrameType 5): the `VideoCommand` byte (0 start seek, 1 end seek).
    case command(UInt8)

    /// Enhanced RTMP `VideoPacketType` values (v1 §"ExVideoTagHeader").
    enum PacketType: UInt8 {
        case sequenceStart = 0, codedFrames = 1, sequenceEnd = 2, codedFramesX = 3, metadata = 4
        case mpeg2TSSequenceStart = 5, multitrack = 6, modEx = 7
    }

    /// Parses a tag body. Tag bodies are bounded by the RTMP message length the caller accepted.
    public init(parsing body: ByteBuffer) throws(ContainersError) {
        var b = body
        guard let first: UInt8 = b.readInteger() else { throw .truncated(what: "FLV video tag", needed: 1, available: 0) }
        if first & 0x80 != 0 {
            try self.init(enhanced: first, rest: &b)
            return
        }
        let frameTypeValue = first >> 4
        guard let frameType = FLVVideoFrameType(rawValue: frameTypeValue) else {
            throw .invalid(what: "FLV video tag", reason: "FrameType \(frameTypeValue)")
        }
        let codecID = first & 0x0F
        if frameType == .command {
            // FrameType 5 carries one byte (0 start / 1 end of client-side seeking) instead of a payload.
            guard let command: UInt8 = b.readInteger() else { throw .truncated(what: "FLV video command", needed: 2, available: 1) }
            self = .command(command)
            return
        }
        guard codecID == 7 else { throw .unsupported(what: "FLV video tag", reason: "CodecID \(codecID) (only 7, AVC)") }
        guard let packetType: UInt8 = b.readInteger(), let cts = b.readSI24() else {
            throw .truncated(what: "AVCVIDEOPACKET", needed: 5, available: body.readableBytes)
        }
        switch packetType {
        case 0: self = .sequenceStart(.avc, config: b)
        case 1: self = .codedFrame(.avc, frameType: frameType, compositionTime: cts, data: b)
        case 2: self = .sequenceEnd(.avc)
        default: throw .invalid(what: "AVCVIDEOPACKET", reason: "AVCPacketType \(packetType)")
        }
    }

    private init(enhanced first: UInt8, rest b: inout ByteBuffer) throws(ContainersError) {
        let frameTypeValue = (first >> 4) & 0x07
        guard let frameType = FLVVideoFrameType(rawValue: frameTypeValue) else {
            throw .invalid(what: "ExVideoTagHeader", reason: "FrameType \(frameTypeValue)")
        }
        guard let packetType = PacketType(rawValue: first & 0x0F) else {
            throw .invalid(what: "ExVideoTagHeader", reason: "PacketType \(first & 0x0F)")
        }
        if frameType == .command, packetType != .metadata {
            guard let command: UInt8 = b.readInteger() else { throw .truncated(what: "ExVideoTagHeader command", needed: 2, available: 1) }
            self = .command(command)
            return
        }
        switch packetType {
        case .multitrack, .modEx, .mpeg2TSSequenceStart:
            throw .unsupported(what: "ExVideoTagHeader", reason: "PacketType \(packetType)")
        default: break
        }
        guard let fourCCValue: UInt32 = b.readInteger() else { throw .truncated(what: "ExVideoTagHeader FourCC", needed: 5, available: 1 + b.readableBytes) }
        guard let codec = FLVVideoCodec(fourCC: fourCCValue) else {
            throw .unsupported(what: "ExVideoTagHeader", reason: "FourCC \(String(format4CC: fourCCValue))")
        }
        switch packetType {
        case .sequenceStart: self = .sequenceStart(codec, config: b)
        case .sequenceEnd: self = .sequenceEnd(codec)
        case .metadata: self = .metadata(codec, b)
        case .codedFramesX: self = .codedFrame(codec, frameType: frameType, compositionTime: 0, data: b)
        case .codedFrames:
            // AVC and HEVC CodedFrames carry an SI24 composition time; AV1 has none.
            var cts: Int32 = 0
            if codec != .av1 {
                guard let value = b.readSI24() else { throw .truncated(what: "ExVideoTagHeader CompositionTime", needed: 8, available: 5 + b.readableBytes) }
                cts = value
            }
            self = .codedFrame(codec, frameType: frameType, compositionTime: cts, data: b)
        case .multitrack, .modEx, .mpeg2TSSequenceStart: preconditionFailure("handled above")
        }
    }

    /// Serialises the tag body: legacy `AVCVIDEOPACKET` for AVC unless `enhanced` is set; HEVC and
    /// AV1 always use the Enhanced RTMP header.
    public func serialized(enhanced: Bool = false) -> ByteBuffer {
        var out = ByteBufferAllocator().buffer(capacity: 16)
        func legacy(_ frameType: FLVVideoFrameType, _ packetType: UInt8, _ cts: Int32) {
            out.writeInteger(frameType.rawValue << 4 | 7)
            out.writeInteger(packetType)
            out.writeSI24(cts)
        }
        func ex(_ frameType: FLVVideoFrameType, _ packetType: PacketType, _ codec: FLVVideoCodec) {
            out.writeInteger(0x80 | frameType.rawValue << 4 | packetType.rawValue)
            out.writeBytes(Array(codec.fourCC.utf8))
        }
        switch self {
        case .sequenceStart(let codec, var config):
            if codec == .avc, !enhanced { legacy(.key, 0, 0) } else { ex(.key, .sequenceStart, codec) }
            out.writeBuffer(&config)
        case .codedFrame(let codec, let frameType, let cts, var data):
            if codec == .avc, !enhanced {
                legacy(frameType, 1, cts)
            } else if codec == .av1 {
                ex(frameType, .codedFrames, codec)
            } else if cts == 0 {
                ex(frameType, .codedFramesX, codec)
            } else {
                ex(frameType, .codedFrames, codec)
                out.writeSI24(cts)
            }
            out.writeBuffer(&data)
        case .sequenceEnd(let codec):
            if codec == .avc, !enhanced { legacy(.key, 2, 0) } else { ex(.key, .sequenceEnd, codec) }
        case .metadata(let codec, var data):
            ex(.command, .metadata, codec)
            out.writeBuffer(&data)
        case .command(let command):
            out.writeInteger(FLVVideoFrameType.command.rawValue << 4 | 7)
            out.writeInteger(command)
        }
        return out
    }
}

extension ByteBuffer {
    /// SI24: a 24-bit big-endian two's-complement integer (FLV spec §E.4.3.1 CompositionTime).
    mutating func readSI24() -> Int32? {
        guard readableBytes >= 3, let high = readInteger(as: UInt16.self), let low = readInteger(as: UInt8.self) else { return nil }
        let raw = Int32(high) << 8 | Int32(low)
        return raw & 0x80_0000 != 0 ? raw - 0x100_0000 : raw
    }

    mutating func writeSI24(_ value: Int32) {
        precondition((-0x80_0000...0x7F_FFFF).contains(value), "SI24 out of range")
        let raw = UInt32(bitPattern: value) & 0xFF_FFFF
        writeBytes([UInt8(raw >> 16), UInt8((raw >> 8) & 0xFF), UInt8(raw & 0xFF)])
    }
}

extension String {
    /// A FourCC for messages, with non-printable bytes as `?`.
    init(format4CC value: UInt32) {
        let bytes = [24, 16, 8, 0].map { UInt8((value >> UInt32($0)) & 0xFF) }
        self = String(decoding: bytes.map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}
