import Codecs
import MediaCore
import NIOCore

extension TSElementaryStream {
    /// An Opus PES holds one or more access units, each an `opus_control_header` and one Opus
    /// packet (ETSI TS Opus draft v0.1.3). Each packet becomes one sample; the PTS (rescaled to
    /// 48 kHz) dates the first and each further one follows by the duration its TOC byte states
    /// (RFC 6716 §3.1). A PES without PTS continues the last.
    ///
    /// The first access unit configures the stream from the PMT's `channel_config_code` and its own
    /// `start_trim` (the pre-skip); later trims do not change the configuration. A code the
    /// packager cannot describe throws, as parameter sets that cannot be parsed do. A bad control
    /// header, an `au_size` past the PES or a packet with an impossible TOC drops the rest of the
    /// PES, after the samples before it.
    mutating func processOpus(_ payload: ArraySlice<UInt8>, pts: Int64?, channelConfigCode: UInt8?, limits: TSLimits)
        throws(ContainersError) -> [Event] {
        var events: [Event] = []
        var offset = payload.startIndex
        var units = 0
        var next = firstAudioDTS(pts: pts, timescale: UInt32(OpusHead.sampleRate))
        while offset < payload.endIndex {
            let header: OpusControlHeader
            do {
                header = try OpusControlHeader(parsing: payload[offset...], what: "\(what) Opus access unit \(units)")
            } catch {
                events.append(.droppedPES(error))
                break
            }
            guard units < limits.maxAudioFramesPerPES else {
                events.append(.droppedPES(.limitExceeded(what: "\(what) Opus access units in one PES", value: units + 1,
                                                         limit: limits.maxAudioFramesPerPES)))
                break
            }
            let start = offset + header.headerLength
            let packet = payload[start..<(start + header.auSize)]
            let duration: Int
            do {
                duration = try OpusPacket.sampleCount(packet)
            } catch {
                events.append(.droppedPES(.codec(what: "\(what) Opus packet \(units)", error)))
                break
            }
            if codecTrack == nil {
                let head = try OpusHead(mpegTSChannelConfigCode: channelConfigCode, preSkip: header.startTrim ?? 0, what: "\(what) Opus")
                let info = TrackInfo.opus(head)
                codecTrack = info
                events.append(.track(info))
            }
            guard let dts = next else {
                events.append(.droppedPES(.invalid(what: "\(what) audio PES", reason: "no PTS")))
                break
            }
            events.append(.sample(Sample(dts: dts, isSync: true, data: ByteBuffer(bytes: packet))))
            next = dts + Int64(duration)
            nextAudioDTS = next
            offset = start + header.auSize
            units += 1
        }
        return events
    }
}
