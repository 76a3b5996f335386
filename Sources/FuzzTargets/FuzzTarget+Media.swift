import Codecs
import Containers
import NIOCore

/// What an encoder's media carries: containers (FLV tags, MPEG-TS, fMP4 read back from the
/// archive) and codec configuration (parameter sets, decoder configuration records).
extension FuzzTarget {
    static let media: [FuzzTarget] = [
        FuzzTarget(name: "flv-video") { bytes in
            (try? FLVVideoTag(parsing: buffer(bytes))) != nil
        },
        FuzzTarget(name: "flv-audio") { bytes in
            (try? FLVAudioTag(parsing: buffer(bytes))) != nil
        },
        FuzzTarget(name: "mpegts") { bytes in
            // In two pieces, as a socket may cut it, then flushed as at the end of a stream.
            var demuxer = TSDemuxer()
            let cut = bytes.count / 2
            var samples = 0
            for piece in [bytes[..<cut], bytes[cut...]] {
                var buffer = buffer(Array(piece))
                guard let outputs = try? demuxer.feed(&buffer) else { return false }
                samples += outputs.count { if case .sample = $0 { true } else { false } }
            }
            samples += demuxer.flush().count { if case .sample = $0 { true } else { false } }
            return samples > 0
        },
        FuzzTarget(name: "fmp4") { bytes in
            // An init segment and a media segment read back, as clips and the archive do: the
            // first two bytes say where the init segment ends.
            guard bytes.count > 2 else { return false }
            let split = min(bytes.count - 2, Int(bytes[0]) << 8 | Int(bytes[1]))
            let body = Array(bytes.dropFirst(2))
            guard let track = try? FMP4Reader.track(initSegment: buffer(Array(body[..<split]))) else { return false }
            let samples = try? FMP4Reader.samples(inSegment: buffer(Array(body[split...])), track: track, source: 0)
            return samples?.isEmpty == false
        },
        FuzzTarget(name: "h264-config") { bytes in
            _ = try? H264SPS(nalUnit: bytes)
            _ = try? AnnexB.split(bytes)
            _ = try? LengthPrefixed.split(bytes, lengthSize: 4)
            return (try? AVCDecoderConfigurationRecord(parsing: bytes).parsedSPS()) != nil
        },
        FuzzTarget(name: "hevc-config") { bytes in
            _ = try? HEVCSPS(nalUnit: bytes)
            return (try? HEVCDecoderConfigurationRecord(parsing: bytes).parsedSPS()) != nil
        },
        FuzzTarget(name: "av1-config") { bytes in
            _ = try? AV1OBU.split(bytes)
            return (try? AV1CodecConfigurationRecord(parsing: bytes).parsedSequenceHeader()) != nil
        },
        FuzzTarget(name: "audio-config") { bytes in
            // The same bytes as each kind of audio configuration: one of them must read them.
            let config = try? AudioSpecificConfig(parsing: bytes)
            if let config {
                // What parsed serializes to bytes that parse to the same configuration.
                check((try? AudioSpecificConfig(parsing: config.serialized())) == config, "AudioSpecificConfig changed through serialize")
            }
            let adts = try? ADTSHeader(parsing: bytes)
            let opus = try? OpusHead(parsing: bytes)
            _ = try? OpusHead(dOps: bytes)
            return config != nil || adts != nil || opus != nil
        },
    ]
}
