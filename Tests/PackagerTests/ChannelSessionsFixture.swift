import Hub
import MediaCore
import NIOCore
@testable import Packager

/// Drives a channel's ``ChannelSessions`` with hub events and records what it answers.
struct SessionsDriver {
    var sessions: ChannelSessions
    var actions: [ChannelSessions.Action] = []
    /// The wall clock passed with the next events.
    var now: Int64 = SessionsDriver.start
    var sourceIsLive = true

    static let start: Int64 = 1_700_000_000_000

    init(plan: RenditionPlan = RenditionPlan(), configuration: PackagerConfiguration = PackagerConfiguration()) {
        sessions = ChannelSessions(plan: plan, configuration: configuration)
    }

    mutating func send(_ events: [HubEvent], from feed: Feed = .source) {
        actions += sessions.handle(events, from: feed, now: now, sourceIsLive: sourceIsLive)
    }

    mutating func send(_ event: HubEvent, from feed: Feed = .source) { send([event], from: feed) }

    /// Actions in a compact form: `open source 0 @0`, `part audio 1.2`, `close source 0`, ...
    var log: [String] { actions.map(Self.describe) }

    func log(_ rendition: String, _ kind: String) -> [String] {
        log.filter { $0.hasPrefix("\(kind) \(rendition) ") }
    }

    func parts(_ rendition: String, msn: Int) -> [Segmenter.Part] {
        actions.compactMap { action in
            guard case .publish(rendition, let part) = action, part.msn == msn else { return nil }
            return part
        }
    }

    static func describe(_ action: ChannelSessions.Action) -> String {
        switch action {
        case .list(let feed, let names, let hidden): "list \(feed) \(names) hidden \(hidden)"
        case .begin(let rendition, _, _): "begin \(rendition) "
        case .openSegment(let rendition, let msn, let startDTS, _): "open \(rendition) \(msn) @\(startDTS)"
        case .publish(let rendition, let part): "part \(rendition) \(part.msn).\(part.index)"
        case .closeSegment(let rendition, let msn): "close \(rendition) \(msn)"
        case .gap(let rendition, let msn, let duration, _): "gap \(rendition) \(msn) \(duration)"
        case .captions(let rendition, let channels): "captions \(rendition) \(channels.instreamIDs.joined(separator: ","))"
        case .end(let rendition, _): "end \(rendition) "
        case .marker(let marker): "marker \(marker.id) \(marker.msn) @\(marker.programDateTime)"
        }
    }
}

/// Tracks and samples with known bytes: H.264-like video at 90 kHz, 30 fps, and AAC at 48 kHz.
enum Media {
    static func video(_ rendition: String? = nil) -> TrackInfo {
        TrackInfo(codec: .h264, timescale: 90_000, decoderConfig: [1, 0x64, 0, 0x1F, 0xFF, 0xE1, 0, 0], codecString: "avc1.64001f",
                  video: VideoParameters(width: 1280, height: 720, frameRate: Rational(30, 1)), rendition: rendition)
    }

    static let audio = TrackInfo(codec: .aac, timescale: 48_000, decoderConfig: [0x11, 0x90], codecString: "mp4a.40.2",
                                 audio: AudioParameters(sampleRate: 48_000, channelCount: 2, samplesPerFrame: 1_024))

    /// Video frame `n` (3 000 ticks each): one length-prefixed NAL unit, an IDR slice (type 5) on
    /// key frames, a non-IDR slice (type 1) otherwise, whose payload names the frame and `tag`.
    static func frame(_ n: Int, key: Bool, tag: UInt8 = 0, dts: Int64? = nil) -> Sample {
        let nal: [UInt8] = [key ? 0x65 : 0x41, tag, UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]
        var data = ByteBuffer()
        data.writeInteger(UInt32(nal.count))
        data.writeBytes(nal)
        return Sample(dts: dts ?? Int64(n) * 3_000, isSync: key, data: data)
    }

    /// AAC frame `n` (1 024 ticks each): a raw frame whose bytes name it.
    static func aac(_ n: Int) -> Sample {
        Sample(dts: Int64(n) * 1_024, isSync: true, data: ByteBuffer(bytes: [0x21, 0x1A, UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]))
    }

    /// Video (track 0, a key frame every `keyEvery` frames) and, if `audio`, AAC (track 1),
    /// interleaved by time as an encoder sends them, for video frames `frames`.
    static func interleaved(frames: Range<Int>, keyEvery: Int = 60, audio: Bool = true) -> [HubEvent] {
        var events: [HubEvent] = []
        var a = audio ? Int((Int64(frames.lowerBound) * 3_000 * 48_000 + 90_000 * 1_024 - 1) / (90_000 * 1_024)) : Int.max
        for v in frames {
            let videoTime = MediaTime(ticks: Int64(v) * 3_000, timescale: 90_000)
            while a != Int.max, MediaTime(ticks: Int64(a) * 1_024, timescale: 48_000) < videoTime {
                events.append(.sample(track: 1, aac(a)))
                a += 1
            }
            events.append(.sample(track: 0, frame(v, key: v % keyEvery == 0)))
        }
        return events
    }

    /// The samples of a CMAF fragment: the payload of its `mdat` box (ISO/IEC 14496-12 §8.1.1),
    /// after checking that it starts with its `moof`.
    static func mdatPayload(_ fragment: ByteBuffer) -> [UInt8]? {
        let bytes = Array(fragment.readableBytesView)
        var offset = 0
        var types: [String] = []
        while offset + 8 <= bytes.count {
            let size = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            types.append(type)
            guard size >= 8, offset + size <= bytes.count else { return nil }
            if type == "mdat" { return types.first == "moof" ? Array(bytes[offset + 8..<offset + size]) : nil }
            offset += size
        }
        return nil
    }

    static func bytes(_ samples: [Sample]) -> [UInt8] {
        samples.flatMap { Array($0.data.readableBytesView) }
    }
}
