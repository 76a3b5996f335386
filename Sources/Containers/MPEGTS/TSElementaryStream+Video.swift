import Codecs
import MediaCore
import NIOCore

extension TSElementaryStream {
    /// One video PES is one access unit (as ffmpeg, OBS and hardware encoders write it). Its NAL
    /// units are split on start codes; access unit delimiters and parameter sets are taken out (the
    /// latter go into the configuration), the rest becomes a sample with 4-byte NAL lengths.
    /// Sync samples are IDR pictures (H.264 type 5) or IRAP pictures (HEVC types 16...23).
    mutating func processVideo(_ payload: ArraySlice<UInt8>, pts: Int64?, dts: Int64?) throws(ContainersError) -> [Event] {
        guard let pts else { return [.droppedPES(.invalid(what: "\(what) video PES", reason: "no PTS"))] }
        let units: [ArraySlice<UInt8>]
        do {
            units = try AnnexB.split(Array(payload))
        } catch {
            return [.droppedPES(.codec(what: "\(what) video PES", error))]
        }
        let hevc = streamType == .hevc
        var found = ParameterSets()
        var body: [ArraySlice<UInt8>] = []
        var isSync = false
        for unit in units {
            let header = unit[unit.startIndex]
            if hevc {
                let type = HEVCNALUnitType.type(header: header)
                switch type {
                case HEVCNALUnitType.vps: found.vps.append(Array(unit))
                case HEVCNALUnitType.sps: found.sps.append(Array(unit))
                case HEVCNALUnitType.pps: found.pps.append(Array(unit))
                case HEVCNALUnitType.accessUnitDelimiter: continue
                default:
                    isSync = isSync || HEVCNALUnitType.isIRAP(type)
                    body.append(unit)
                }
            } else {
                switch H264NALUnitType(header: header) {
                case .sps: found.sps.append(Array(unit))
                case .pps: found.pps.append(Array(unit))
                case .accessUnitDelimiter: continue
                case .idrSlice:
                    isSync = true
                    body.append(unit)
                default: body.append(unit)
                }
            }
        }

        var events: [Event] = []
        var next = parameterSets
        if !found.vps.isEmpty { next.vps = found.vps }
        if !found.sps.isEmpty { next.sps = found.sps }
        if !found.pps.isEmpty { next.pps = found.pps }
        if next != parameterSets {
            parameterSets = next
            parameterSetsChanged = true
        }
        // A stream is configured at its first sync sample; later changes apply at once.
        if parameterSetsChanged, codecTrack != nil || isSync, !next.sps.isEmpty, !next.pps.isEmpty, !hevc || !next.vps.isEmpty {
            let info = try makeVideoTrack(next, hevc: hevc)
            parameterSetsChanged = false
            if info != codecTrack {
                codecTrack = info
                events.append(.track(info))
            }
        }
        guard !body.isEmpty else { return events }  // parameter sets alone
        guard codecTrack != nil else {
            events.append(.droppedSample(.invalid(what: "\(what) video", reason: "access unit before the first sync sample with parameter sets")))
            return events
        }
        let decodeTime = dts ?? pts
        guard let offset = Int32(exactly: pts - decodeTime) else {
            events.append(.droppedPES(.invalid(what: "\(what) video PES", reason: "PTS \(pts) and DTS \(decodeTime) too far apart")))
            return events
        }
        let data = ByteBuffer(bytes: LengthPrefixed.join(body, lengthSize: 4))
        events.append(.sample(Sample(dts: decodeTime, compositionOffset: offset, isSync: isSync, data: data)))
        return events
    }

    private func makeVideoTrack(_ sets: ParameterSets, hevc: Bool) throws(ContainersError) -> TrackInfo {
        do {
            if hevc {
                let record = try HEVCDecoderConfigurationRecord(videoParameterSets: sets.vps, sequenceParameterSets: sets.sps,
                                                                pictureParameterSets: sets.pps)
                return try TrackInfo.hevc(record)
            }
            let record = try AVCDecoderConfigurationRecord(sequenceParameterSets: sets.sps, pictureParameterSets: sets.pps)
            return try TrackInfo.h264(record)
        } catch {
            throw .codec(what: "\(what) parameter sets", error)
        }
    }
}
