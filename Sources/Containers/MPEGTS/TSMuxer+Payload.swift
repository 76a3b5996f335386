import Codecs
import MediaCore
import NIOCore

extension TSMuxer {
    /// `access_unit_delimiter_rbsp` with `primary_pic_type` 7, any slice type (H.264 §7.3.2.4).
    static let h264AUD: [UInt8] = [0, 0, 0, 1, 0x09, 0xF0]
    /// HEVC AUD: NAL header type 35, `nuh_temporal_id_plus1` 1, `pic_type` 2 (I, P, B; H.265 §7.3.2.5).
    static let hevcAUD: [UInt8] = [0, 0, 0, 1, 0x46, 0x01, 0x50]
    static let startCode: [UInt8] = [0, 0, 0, 1]

    /// What the muxer needs from a track's decoder configuration, validated once.
    static func payload(for track: TrackInfo, index: Int) throws(ContainersError) -> Payload {
        let what = "TS muxer track \(index) decoderConfig"
        do {
            switch track.codec {
            case .h264:
                let record = try AVCDecoderConfigurationRecord(parsing: track.decoderConfig)
                return .video(nalLengthSize: record.nalLengthSize,
                              parameterSets: record.sequenceParameterSets + record.pictureParameterSets, hevc: false)
            case .hevc:
                let record = try HEVCDecoderConfigurationRecord(parsing: track.decoderConfig)
                let sets = [HEVCNALUnitType.vps, HEVCNALUnitType.sps, HEVCNALUnitType.pps].flatMap { record.nalUnits(ofType: $0) }
                return .video(nalLengthSize: record.nalLengthSize, parameterSets: sets, hevc: true)
            case .aac:
                return .aac(try adtsTemplate(AudioSpecificConfig(parsing: track.decoderConfig), what: what))
            case .opus:
                let head = try OpusHead(dOps: track.decoderConfig)
                guard let code = head.mpegTSChannelConfigCode else {
                    throw ContainersError.unsupported(what: what, reason: "Opus layout of \(head.outputChannelCount) channels, mapping family \(head.channelMappingFamily) (MPEG-TS states 1 to 8 channels in the standard layouts only)")
                }
                return .opus(channelConfigCode: code, preSkip: head.preSkip)
            case .av1:
                throw ContainersError.unsupported(what: what, reason: "codec \(track.codec.rawValue)")
            }
        } catch let error as CodecsError {
            throw .codec(what: what, error)
        } catch let error as ContainersError {
            throw error
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    /// ADTS (ISO/IEC 14496-3 §1.A.2.2) can state only object types 1...4 (a 2-bit profile), an
    /// indexed sampling frequency and a channel configuration; HE-AAC is carried as its AAC core
    /// with implicit SBR signalling.
    static func adtsTemplate(_ asc: AudioSpecificConfig, what: String) throws(ContainersError) -> ADTSHeader {
        guard (1...4).contains(asc.coreObjectType) else {
            throw .unsupported(what: what, reason: "audio object type \(asc.coreObjectType) has no ADTS profile")
        }
        guard let index = AudioSpecificConfig.samplingFrequencies.firstIndex(of: asc.samplingFrequency) else {
            throw .unsupported(what: what, reason: "sampling frequency \(asc.samplingFrequency) has no ADTS index")
        }
        return ADTSHeader(profile: asc.coreObjectType - 1, samplingFrequencyIndex: UInt8(index),
                          channelConfiguration: asc.channelConfiguration, frameLength: 7)
    }

    /// The PES payload of one sample: an Annex B access unit, an ADTS frame or an Opus access unit.
    static func elementaryPayload(_ sample: Sample, payload: Payload, track: Int) throws(ContainersError) -> [UInt8] {
        switch payload {
        case .video(let nalLengthSize, let parameterSets, let hevc):
            let units: [ArraySlice<UInt8>]
            do {
                units = try LengthPrefixed.split(Array(sample.data.readableBytesView), lengthSize: nalLengthSize)
            } catch {
                throw .codec(what: "TS muxer track \(track) sample", error)
            }
            func type(_ header: UInt8) -> UInt8 { hevc ? HEVCNALUnitType.type(header: header) : header & 0x1F }
            let audType = hevc ? HEVCNALUnitType.accessUnitDelimiter : H264NALUnitType.accessUnitDelimiter.rawValue
            let spsType = hevc ? HEVCNALUnitType.sps : H264NALUnitType.sps.rawValue
            var out = hevc ? hevcAUD : h264AUD
            out.reserveCapacity(sample.data.readableBytes + units.count * 4 + 64)
            // In-band parameter sets in the sample win over the configuration's.
            if sample.isSync, !units.contains(where: { $0.first.map { type($0) } == spsType }) {
                for set in parameterSets { out += startCode + set }
            }
            for unit in units {
                guard let header = unit.first, type(header) != audType else { continue }
                out += startCode
                out += unit
            }
            return out
        case .aac(var header):
            let length = header.headerLength + sample.data.readableBytes
            // aac_frame_length is 13 bits.
            guard length < 1 << 13 else { throw .limitExceeded(what: "TS muxer track \(track) ADTS frame", value: length, limit: (1 << 13) - 1) }
            header.frameLength = length
            return header.serialized() + Array(sample.data.readableBytesView)
        case .opus(_, let preSkip):
            return OpusControlHeader.serialized(auSize: sample.data.readableBytes, startTrim: preSkip)
                + Array(sample.data.readableBytesView)
        }
    }
}
