import Codecs
import MediaCore
import NIOCore

extension TSElementaryStream {
    /// An AAC PES holds one or more whole ADTS frames (ISO/IEC 14496-3 §1.A.2). Each becomes one
    /// sample without its header; the PTS (rescaled to the sample rate) dates the first frame and
    /// each further frame follows one frame duration later. A PES without PTS continues the last.
    mutating func processAudio(_ payload: ArraySlice<UInt8>, pts: Int64?, limits: TSLimits) -> [Event] {
        var events: [Event] = []
        var offset = payload.startIndex
        var frames = 0
        var next: Int64? = nil
        while offset < payload.endIndex {
            let header: ADTSHeader
            do {
                header = try ADTSHeader(parsing: Array(payload[offset..<min(offset + 9, payload.endIndex)]))
            } catch {
                events.append(.droppedPES(.codec(what: "\(what) ADTS frame \(frames)", error)))
                break
            }
            guard header.frameLength <= payload.endIndex - offset else {
                events.append(.droppedPES(.truncated(what: "\(what) ADTS frame \(frames)", needed: header.frameLength,
                                                     available: payload.endIndex - offset)))
                break
            }
            guard header.rawDataBlocks == 1, header.channelConfiguration != 0 else {
                events.append(.droppedPES(.unsupported(what: "\(what) ADTS frame", reason: header.rawDataBlocks != 1
                    ? "\(header.rawDataBlocks) raw data blocks" : "channel_configuration 0 (program config element)")))
                break
            }
            guard frames < limits.maxAudioFramesPerPES else {
                events.append(.droppedPES(.limitExceeded(what: "\(what) ADTS frames in one PES", value: frames + 1,
                                                         limit: limits.maxAudioFramesPerPES)))
                break
            }
            let config = header.audioSpecificConfig
            if config != audioConfig {
                let info = TrackInfo.aac(config)
                // A new rate restarts the frame clock from the PTS.
                if let old = codecTrack, old.timescale != info.timescale { nextAudioDTS = nil; next = nil }
                audioConfig = config
                codecTrack = info
                events.append(.track(info))
            }
            guard let track = codecTrack, let samplesPerFrame = track.audio?.samplesPerFrame else { break }
            if next == nil {
                next = frames == 0 ? firstAudioDTS(pts: pts, timescale: track.timescale) : nextAudioDTS
            }
            guard let dts = next else {
                events.append(.droppedPES(.invalid(what: "\(what) audio PES", reason: "no PTS")))
                break
            }
            let raw = payload[(offset + header.headerLength)..<(offset + header.frameLength)]
            events.append(.sample(Sample(dts: dts, isSync: true, data: ByteBuffer(bytes: raw))))
            next = dts + Int64(samplesPerFrame)
            nextAudioDTS = next
            offset += header.frameLength
            frames += 1
        }
        return events
    }

    /// DTS of the first frame of an audio PES, in `timescale`: its PTS, or for a PES without one,
    /// the end of the last frame delivered.
    func firstAudioDTS(pts: Int64?, timescale: UInt32) -> Int64? {
        guard let pts else { return nextAudioDTS }
        return TSTime.rescaleNearest(pts, from: TS.clockRate, to: timescale)
    }
}
