import MediaCore

extension FMP4Writer {
    /// The sample entry for the track's codec: `avc1`+`avcC` (ISO/IEC 14496-15 §5.4.2),
    /// `hvc1`+`hvcC` (§8.4.1), `av01`+`av1C` (AV1-ISOBMFF §2.2), `mp4a`+`esds` (ISO/IEC 14496-14
    /// §5.6) or `Opus`+`dOps` (Opus-in-ISOBMFF §4.3).
    static func writeSampleEntry(_ w: inout BoxWriter, track: TrackInfo) {
        switch track.codec {
        case .h264: writeVisualEntry(&w, "avc1", configBox: "avcC", track: track)
        case .hevc: writeVisualEntry(&w, "hvc1", configBox: "hvcC", track: track)
        case .av1: writeVisualEntry(&w, "av01", configBox: "av1C", track: track)
        case .aac:
            writeAudioEntry(&w, "mp4a", track: track, sampleRate: track.audio?.sampleRate ?? Int(track.timescale)) { w in
                writeESDescriptor(&w, audioSpecificConfig: track.decoderConfig)
            }
        case .opus:
            // Opus sample entries state 48 kHz whatever the input rate (Opus-in-ISOBMFF §4.3.1).
            writeAudioEntry(&w, "Opus", track: track, sampleRate: 48_000) { w in
                w.box("dOps") { w in w.bytes(track.decoderConfig) }
            }
        }
    }

    /// `VisualSampleEntry` (ISO/IEC 14496-12 §12.1.3).
    static func writeVisualEntry(_ w: inout BoxWriter, _ type: String, configBox: String, track: TrackInfo) {
        w.box(type) { w in
            w.zeros(6)
            w.u16(1)  // data_reference_index
            w.zeros(2 + 2 + 12)  // pre_defined, reserved, pre_defined[3]
            w.u16(UInt16(clamping: track.video?.width ?? 0))
            w.u16(UInt16(clamping: track.video?.height ?? 0))
            w.u32(0x0048_0000)  // 72 dpi
            w.u32(0x0048_0000)
            w.u32(0)
            w.u16(1)  // frame_count
            w.zeros(32)  // compressorname
            w.u16(0x0018)  // depth
            w.u16(0xFFFF)  // pre_defined = -1
            w.box(configBox) { w in w.bytes(track.decoderConfig) }
        }
    }

    /// `AudioSampleEntry` (ISO/IEC 14496-12 §12.2.3). `samplerate` is 16.16, so rates above
    /// 65 535 Hz are written as 0; `mdhd` carries the real timescale.
    static func writeAudioEntry(_ w: inout BoxWriter, _ type: String, track: TrackInfo, sampleRate: Int,
                                _ config: (inout BoxWriter) -> Void) {
        w.box(type) { w in
            w.zeros(6)
            w.u16(1)
            w.zeros(8)
            w.u16(UInt16(clamping: track.audio?.channelCount ?? 2))
            w.u16(16)  // samplesize
            w.zeros(4)
            w.u32(sampleRate <= 0xFFFF ? UInt32(sampleRate) << 16 : 0)
            config(&w)
        }
    }

    /// `esds` with ES_Descriptor → DecoderConfigDescriptor (objectTypeIndication 0x40, audio stream)
    /// → DecoderSpecificInfo = AudioSpecificConfig, and SLConfigDescriptor (ISO/IEC 14496-1 §7.2.6).
    static func writeESDescriptor(_ w: inout BoxWriter, audioSpecificConfig asc: [UInt8]) {
        let decoderSpecific = descriptor(tag: 0x05, asc)
        var decoderConfig: [UInt8] = [0x40, 0x15]  // Audio ISO/IEC 14496-3; streamType 5 << 2 | upStream 0 | 1
        decoderConfig += [0, 0, 0]  // bufferSizeDB
        decoderConfig += [0, 0, 0, 0, 0, 0, 0, 0]  // maxBitrate, avgBitrate: unknown
        decoderConfig += decoderSpecific
        let es: [UInt8] = [0, 0, 0] + descriptor(tag: 0x04, decoderConfig) + descriptor(tag: 0x06, [0x02])  // ES_ID 0, flags 0
        w.fullBox("esds") { w in w.bytes(descriptor(tag: 0x03, es)) }
    }

    /// A descriptor with its expandable size field (ISO/IEC 14496-1 §8.3.3), shortest form.
    static func descriptor(tag: UInt8, _ body: [UInt8]) -> [UInt8] {
        var sizeBytes: [UInt8] = []
        var n = body.count
        repeat {
            sizeBytes.insert(UInt8(n & 0x7F) | (sizeBytes.isEmpty ? 0 : 0x80), at: 0)
            n >>= 7
        } while n > 0
        return [tag] + sizeBytes + body
    }
}
