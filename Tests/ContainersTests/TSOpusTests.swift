import Codecs
import Foundation
import MediaCore
import NIOCore
import Testing
@testable import Containers

/// Opus in MPEG-TS (ETSI TS Opus draft v0.1.3, as FFmpeg writes it): streams made by ffmpeg at
/// test time, read back against ffmpeg's own demuxer, and hand-built access units for what an
/// encoder should never send.
@Suite struct TSOpusTests {
    // MARK: Streams made by ffmpeg

    /// One second of a 440 Hz sine in Opus over MPEG-TS, and what ffmpeg's demuxer reads from it.
    struct FFmpegOpus {
        var ts: [UInt8]
        /// `ffprobe` packets of the audio stream (90 kHz pts and duration).
        var packets: [ProbedPacket]
        /// The Opus packets, as `ffmpeg -c copy -f data` writes them one after another.
        var data: [UInt8]

        init(channels: Int) throws {
            let dir = try TemporaryDirectory()
            let ts = dir.url.appendingPathComponent("opus.ts").path
            let bin = dir.url.appendingPathComponent("opus.bin").path
            let (status, _, errors) = try run(ffmpegPath, ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                                                            "-t", "1", "-c:a", "libopus", "-b:a", "64k", "-ac", "\(channels)",
                                                            "-f", "mpegts", ts])
            try #require(status == 0, "\(errors)")
            let (copyStatus, _, copyErrors) = try run(ffmpegPath, ["-v", "error", "-y", "-i", ts, "-map", "0:a", "-c", "copy", "-f", "data", bin])
            try #require(copyStatus == 0, "\(copyErrors)")
            self.ts = [UInt8](try Data(contentsOf: URL(fileURLWithPath: ts)))
            data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: bin)))
            packets = try probePackets(ts, stream: "a")
        }
    }

    @Test(.enabled(if: ffmpegAvailable)) func ffmpegStereoOpusReadsAsFFmpegReadsIt() throws {
        let source = try FFmpegOpus(channels: 2)
        let result = try demux(source.ts)
        let tracks = try #require(result.tracks.first)
        #expect(result.tracks.count == 1)
        #expect(tracks.map(\.pid) == [0x100])
        let info = try #require(tracks.first?.info)
        #expect(info.codec == .opus)
        #expect(info.codecString == "opus")
        #expect(info.timescale == 48_000)
        #expect(info.audio?.channelCount == 2)
        let head = try OpusHead(dOps: info.decoderConfig)
        #expect(head.outputChannelCount == 2)
        #expect(head.channelMappingFamily == 0)
        #expect(head.channelMapping == nil)
        // libopus's encoder delay, carried as the first access unit's start_trim.
        #expect(head.preSkip == 312)

        let samples = result.samples(0)
        #expect(samples.count == source.packets.count)
        // The same packets, byte for byte, in the same order.
        #expect(samples.map(\.data.count) == source.packets.map(\.size))
        #expect(samples.flatMap(\.data) == source.data)
        // Times: the PES PTS dates the first packet of each PES, the TOC durations the others;
        // ffmpeg dates every packet the same way.
        #expect(samples.map(\.dts) == source.packets.map { MediaTime.rescale($0.pts, from: 90_000, to: 48_000) })
        #expect(samples.allSatisfy { $0.isSync })
        // The TOC durations add up to ffmpeg's, and to the second of audio plus the pre-skip,
        // with the end trim of the last packet (under one packet) on top.
        let durations = try samples.map { try OpusPacket.sampleCount($0.data) }
        let total = durations.reduce(0, +)
        #expect(Int64(total) == MediaTime.rescale(source.packets.map(\.duration).reduce(0, +), from: 90_000, to: 48_000))
        #expect(total >= 48_000 + Int(head.preSkip))
        #expect(total < 48_000 + Int(head.preSkip) + durations.last!)
        #expect(result.statistics.droppedPES == 0)
        #expect(result.statistics.droppedSamples == 0)
    }

    @Test(.enabled(if: ffmpegAvailable)) func ffmpegSurroundOpusHasTheVorbisLayout() throws {
        let source = try FFmpegOpus(channels: 6)
        let result = try demux(source.ts)
        let info = try #require(result.tracks.first?.first?.info)
        #expect(info.audio?.channelCount == 6)
        let head = try OpusHead(dOps: info.decoderConfig)
        #expect(head.channelMappingFamily == 1)
        // 5.1 in libopus's layout: four streams, two coupled.
        #expect(head.channelMapping == OpusHead.ChannelMapping(streamCount: 4, coupledCount: 2, mapping: [0, 4, 1, 2, 3, 5]))
        #expect(result.samples(0).flatMap(\.data) == source.data)
        #expect(result.statistics.droppedPES == 0)
    }

    @Test(.enabled(if: ffmpegAvailable)) func ffmpegOpusSplitAnywhereReadsTheSame() throws {
        let source = try FFmpegOpus(channels: 2)
        let whole = try demux(source.ts)
        #expect(try demux(source.ts, chunk: { _ in 7 }).outputs == whole.outputs)
    }

    // MARK: Hand-built streams

    static let pid: UInt16 = 0x100
    /// Registration descriptor `Opus`, then the opus_audio_descriptor with `code`.
    static func descriptors(channelConfigCode code: UInt8?) -> [UInt8] {
        [0x05, 4] + Array("Opus".utf8) + (code.map { [0x7F, 2, 0x80, $0] } ?? [])
    }

    /// An Opus packet of `size` bytes (at least 1) starting with `toc`, CELT FB 20 ms by default.
    static func packet(toc: UInt8 = 0xF8, size: Int = 10) -> [UInt8] {
        [toc] + (1..<size).map { UInt8(truncatingIfNeeded: $0) }
    }

    /// An access unit: control header with `au_size` in 0xFF-run form, trims, extension, packet.
    static func accessUnit(_ packet: [UInt8], startTrim: UInt16? = nil, endTrim: UInt16? = nil, extension ext: [UInt8]? = nil) -> [UInt8] {
        var flags: UInt8 = 0xE0
        if startTrim != nil { flags |= 0x10 }
        if endTrim != nil { flags |= 0x08 }
        if ext != nil { flags |= 0x04 }
        var out: [UInt8] = [0x7F, flags]
        out += [UInt8](repeating: 0xFF, count: packet.count / 255) + [UInt8(packet.count % 255)]
        for trim in [startTrim, endTrim].compactMap({ $0 }) { out += [UInt8(trim >> 8), UInt8(trim & 0xFF)] }
        if let ext { out += [UInt8(ext.count)] + ext }
        return out + packet
    }

    /// A stream of one Opus PID with the given PES payloads (the first at PTS 90 000, the next ones
    /// 20 ms apart, or without PTS where `pts` says nil).
    static func stream(_ payloads: [[UInt8]], channelConfigCode: UInt8? = 2, pts: [UInt64?]? = nil) throws -> [UInt8] {
        var b = TSBuilder()
        b.pat()
        b.pmt([(0x06, pid)], descriptors: [pid: descriptors(channelConfigCode: channelConfigCode)])
        for (i, payload) in payloads.enumerated() {
            let time: UInt64? = if let pts { pts[i] } else { UInt64(90_000 + i * 1_800) }
            if let time {
                try b.pes(pid: pid, streamID: 0xBD, pts: time, payload: payload)
            } else {
                // PTS_DTS_flags '00': a PES header with no timestamp.
                var buffer = ByteBuffer(bytes: [0, 0, 1, 0xBD, UInt8((payload.count + 3) >> 8), UInt8((payload.count + 3) & 0xFF), 0x80, 0, 0] + payload)
                var first = true
                while buffer.readableBytes > 0 {
                    let counter = b.nextCounter(pid)
                    TSPacketWriter.writePacket(pid: pid, payloadUnitStart: first, continuityCounter: counter, payload: &buffer, into: &b.bytes)
                    first = false
                }
            }
        }
        return b.array
    }

    @Test func severalAccessUnitsInOnePESFollowTheFirstByTheirTOCDurations() throws {
        // 20 ms, 10 ms (config 30), two 2.5 ms frames (config 16, code 1), 20 ms.
        let packets = [Self.packet(toc: 0xF8), Self.packet(toc: 0xF0), Self.packet(toc: 0x81), Self.packet(toc: 0xF8, size: 300)]
        let result = try demux(try Self.stream([packets.flatMap { Self.accessUnit($0) }]))
        let samples = result.samples(0)
        #expect(samples.map(\.dts) == [48_000, 48_960, 49_440, 49_680])
        #expect(samples.map(\.data) == packets)
        let info = try #require(result.tracks.first?.first?.info)
        #expect(info == TrackInfo.opus(OpusHead(outputChannelCount: 2, preSkip: 0, channelMappingFamily: 0, channelMapping: nil)))
        #expect(result.statistics.droppedPES == 0)
    }

    @Test func auSizeOf255AndMoreUsesTheFFRun() throws {
        let packets = [Self.packet(size: 255), Self.packet(size: 510), Self.packet(size: 254)]
        #expect(Self.accessUnit(packets[0]).prefix(4) == [0x7F, 0xE0, 0xFF, 0x00])
        #expect(Self.accessUnit(packets[1]).prefix(5) == [0x7F, 0xE0, 0xFF, 0xFF, 0x00])
        let result = try demux(try Self.stream([packets.flatMap { Self.accessUnit($0) }]))
        #expect(result.samples(0).map(\.data) == packets)
    }

    @Test func trimsAndExtensionAreSkippedAndTheFirstStartTrimIsThePreSkip() throws {
        let first = Self.accessUnit(Self.packet(), startTrim: 312, extension: [1, 2, 3])
        let last = Self.accessUnit(Self.packet(size: 20), startTrim: 100, endTrim: 648)
        let result = try demux(try Self.stream([first, last]))
        #expect(result.samples(0).map(\.data) == [Self.packet(), Self.packet(size: 20)])
        let head = try OpusHead(dOps: try #require(result.tracks.first?.first?.info.decoderConfig))
        // Only the first access unit's trim configures the stream: a later one does not re-announce it.
        #expect(head.preSkip == 312)
        #expect(result.tracks.count == 1)
    }

    @Test func aPESWithoutPTSContinuesTheLast() throws {
        let result = try demux(try Self.stream([Self.accessUnit(Self.packet()), Self.accessUnit(Self.packet())], pts: [90_000, nil]))
        #expect(result.samples(0).map(\.dts) == [48_000, 48_960])
    }

    @Test func surroundCodesHaveTheirLayouts() throws {
        let result = try demux(try Self.stream([Self.accessUnit(Self.packet())], channelConfigCode: 8))
        let info = try #require(result.tracks.first?.first?.info)
        #expect(info.audio?.channelCount == 8)
        let head = try OpusHead(dOps: info.decoderConfig)
        #expect(head.channelMappingFamily == 1)
        #expect(head.channelMapping == OpusHead.ChannelMapping(streamCount: 5, coupledCount: 3, mapping: [0, 6, 1, 2, 3, 4, 5, 7]))
        let mono = try demux(try Self.stream([Self.accessUnit(Self.packet())], channelConfigCode: 1))
        #expect(mono.tracks.first?.first?.info.audio?.channelCount == 1)
    }

    @Test func privateDataWithoutTheOpusRegistrationIsNotCarried() throws {
        var b = TSBuilder()
        b.pat()
        b.pmt([(0x06, Self.pid)], descriptors: [Self.pid: [0x05, 4] + Array("AC-3".utf8)])
        try b.pes(pid: Self.pid, streamID: 0xBD, pts: 90_000, payload: Self.accessUnit(Self.packet()))
        let result = try demux(b.array)
        #expect(result.outputs.isEmpty)
        #expect(result.statistics.droppedPES == 0)
    }

    // MARK: Hostile access units

    /// Demuxes one good access unit, then a PES whose payload is `bad` after one good unit: the
    /// samples before the bad unit come out, the rest of its PES is dropped with `reason`.
    func expectDropped(_ bad: [UInt8], reason: ContainersError) throws {
        let good = Self.accessUnit(Self.packet())
        let result = try demux(try Self.stream([good, good + bad, good]))
        #expect(result.samples(0).map(\.dts) == [48_000, 48_960, 49_920])
        #expect(result.statistics.droppedPES == 1)
        #expect(result.statistics.lastDropReason == reason)
    }

    @Test func aTruncatedControlHeaderDropsTheRestOfThePES() throws {
        try expectDropped([0x7F], reason: .truncated(what: "PID 0x100 Opus access unit 1", needed: 3, available: 1))
        // A run of 0xFF with no last byte.
        try expectDropped([0x7F, 0xE0, 0xFF, 0xFF], reason: .truncated(what: "PID 0x100 Opus access unit 1 au_size", needed: 5, available: 4))
        // A start trim flagged but cut short.
        try expectDropped([0x7F, 0xF0, 0x01, 0x00], reason: .truncated(what: "PID 0x100 Opus access unit 1 trim", needed: 5, available: 4))
    }

    @Test func anAUSizePastThePESDropsIt() throws {
        try expectDropped([0x7F, 0xE0, 0xFF, 0x10, 0xF8, 1, 2],
                          reason: .truncated(what: "PID 0x100 Opus access unit 1 (au_size 271)", needed: 275, available: 7))
        // An extension longer than what is left.
        try expectDropped([0x7F, 0xE4, 0x01, 0x09, 1, 0xF8],
                          reason: .truncated(what: "PID 0x100 Opus access unit 1 (au_size 1)", needed: 14, available: 6))
    }

    @Test func aWrongPrefixDropsThePES() throws {
        // A bare Opus packet where a control header should be.
        try expectDropped(Self.packet(), reason: .invalid(what: "PID 0x100 Opus access unit 1",
                                                           reason: "control_header_prefix 0x7c0, not 0x3ff"))
    }

    @Test func impossibleTOCsDropThePES() throws {
        // Code 3 with a frame count of 0 (RFC 6716 §3.2.5, [R5]).
        try expectDropped(Self.accessUnit([0xFB, 0x00, 1, 2]),
                          reason: .codec(what: "PID 0x100 Opus packet 1", .invalid(what: "Opus packet", reason: "code 3 with zero frames")))
        // Code 3 with 49 frames of 2.5 ms: 122.5 ms, over the 120 ms a packet may last.
        try expectDropped(Self.accessUnit([0x83, 49, 1, 2]),
                          reason: .codec(what: "PID 0x100 Opus packet 1", .invalid(what: "Opus packet", reason: "5880 samples exceed 120 ms")))
        // An empty packet has no TOC.
        try expectDropped(Self.accessUnit([]), reason: .codec(what: "PID 0x100 Opus packet 1",
                                                              .truncated(what: "Opus packet", needed: 1, available: 0)))
    }

    @Test func fortyEightFramesOf2Point5MillisecondsAreTheMost() throws {
        let result = try demux(try Self.stream([Self.accessUnit([0x83, 48, 1, 2]) + Self.accessUnit(Self.packet())]))
        #expect(result.samples(0).map(\.dts) == [48_000, 48_000 + 5_760])
    }

    @Test func tooManyAccessUnitsInOnePESAreDropped() throws {
        let bytes = try Self.stream([(0..<3).flatMap { _ in Self.accessUnit(Self.packet()) }])
        let result = try demux(bytes, demuxer: TSDemuxer(limits: TSLimits(maxAudioFramesPerPES: 2)))
        #expect(result.samples(0).count == 2)
        #expect(result.statistics.lastDropReason == .limitExceeded(what: "PID 0x100 Opus access units in one PES", value: 3, limit: 2))
    }

    @Test(arguments: [nil, 0, 9, 0x81, 0x82] as [UInt8?])
    func channelConfigurationsOtherThanOneToEightAreRefused(_ code: UInt8?) throws {
        let reason = code.map { "channel_config_code 0x\(String($0, radix: 16)) (only 1 to 8 channels of mapping family 0 or 1)" }
            ?? "no opus_audio_descriptor in the PMT"
        #expect(throws: ContainersError.unsupported(what: "PID 0x100 Opus", reason: reason)) {
            _ = try demux(try Self.stream([Self.accessUnit(Self.packet())], channelConfigCode: code))
        }
    }
}
