import Codecs
import MediaCore
import NIOCore
import Testing
import TestSupport
@testable import Containers

@Suite struct TSHostileInputTests {
    static func clean() throws -> (bytes: [UInt8], result: DemuxResult) {
        let bytes = Array(try FLVSource.load().mux(timestampOffset: 126_000).readableBytesView)
        return (bytes, try demux(bytes))
    }

    static func adtsFrame(_ raw: [UInt8]) -> [UInt8] {
        ADTSHeader(samplingFrequencyIndex: 3, channelConfiguration: 2, frameLength: 7 + raw.count).serialized() + raw
    }

    @Test func garbageBeforeTheFirstSyncByteIsSkipped() throws {
        let (bytes, clean) = try Self.clean()
        var garbage = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }.map { $0 == 0x47 ? 0x46 : $0 }
        garbage[5] = 0x47  // a lone sync byte that the next two packet positions do not confirm
        let result = try demux(garbage + bytes)
        #expect(result.outputs == clean.outputs)
        #expect(result.statistics.bytesSkipped == 1_000)
        let byteByByte = try demux(garbage + bytes, chunk: { _ in 1 })
        #expect(byteByByte.outputs == clean.outputs)
    }

    @Test func lostSyncIsFoundAgain() throws {
        let (bytes, clean) = try Self.clean()
        // 100 bytes go missing in the middle of a video packet that continues a PES.
        var index = 40
        while true {
            let p = try TSPacket(Array(bytes[index * 188..<index * 188 + 188]))
            if p.pid == 0x100, !p.payloadUnitStart { break }
            index += 1
        }
        let cut = index * 188 + 50
        let damaged = Array(bytes[..<cut]) + Array(bytes[(cut + 100)...])
        let result = try demux(damaged)
        #expect(result.statistics.resyncs == 1)
        #expect(result.statistics.bytesSkipped == 88)
        // The PES in progress when sync was lost is missing, and perhaps one more the lost bytes touched.
        #expect(result.statistics.droppedPES >= 1)
        #expect(result.statistics.samples >= clean.statistics.samples - 2)
        #expect(result.statistics.samples < clean.statistics.samples)
        #expect(try demux(damaged, chunk: { _ in 1 }).outputs == result.outputs)
    }

    @Test func noSyncWithinTheLimitThrowsAndTheDemuxerRecovers() throws {
        var demuxer = TSDemuxer()
        var zeros = ByteBuffer(repeating: 0, count: 70_000)
        #expect(throws: ContainersError.limitExceeded(what: "MPEG-TS sync search (bytes without a sync byte every 188)",
                                                      value: 65_537, limit: 65_536)) {
            _ = try demuxer.feed(&zeros)
        }
        let (bytes, clean) = try Self.clean()
        let result = try demux(bytes, demuxer: demuxer)
        #expect(result.outputs == clean.outputs)
    }

    @Test func truncatedPESIsDroppedAndCounted() throws {
        var b = TSBuilder()
        b.pat()
        b.pmt([(0x0F, 0x101)])
        // States 1000 bytes but the next PES starts after 100.
        try b.pes(pid: 0x101, streamID: 0xC0, pts: 90_000, payload: Self.adtsFrame([1, 2, 3]), packetLength: 1_000)
        try b.pes(pid: 0x101, streamID: 0xC0, pts: 93_600, payload: Self.adtsFrame([4, 5]) + Self.adtsFrame([6]))
        let result = try demux(b.array)
        #expect(result.statistics.droppedPES == 1)
        #expect(result.statistics.lastDropReason == .truncated(what: "PES packet", needed: 1_006, available: 24))
        #expect(result.samples(0).map(\.data) == [[4, 5], [6]])
        let expected: [Int64] = [49_920, 49_920 + 1_024]  // PTS 93 600 at 90 kHz is 49 920 at 48 kHz
        #expect(result.samples(0).map(\.dts) == expected)
    }

    @Test func pesOverTheSizeLimitIsDroppedWithBoundedMemory() throws {
        let (bytes, clean) = try Self.clean()
        let result = try demux(bytes, demuxer: TSDemuxer(limits: TSLimits(maxPESSize: 2_000)))
        // Key frames are over 2000 bytes: they go, and the frames that depend on them.
        #expect(result.statistics.droppedPES > 0)
        #expect(result.statistics.droppedSamples > 0)
        #expect(result.statistics.samples < clean.statistics.samples)

        // An unbounded PES that never ends is dropped once it passes the limit, then ignored.
        var b = TSBuilder()
        b.pat()
        b.pmt([(0x1B, 0x100)])
        try b.pes(pid: 0x100, streamID: 0xE0, pts: 0, payload: [0, 0, 0, 1, 0x65], packetLength: 0)
        for _ in 0..<1_000 { b.raw(pid: 0x100, payload: [UInt8](repeating: 0xAB, count: 184)) }
        var demuxer = TSDemuxer(limits: TSLimits(maxPESSize: 10_000))
        var buffer = b.bytes
        #expect(try demuxer.feed(&buffer).isEmpty)
        #expect(demuxer.statistics.droppedPES == 1)
        // 19 bytes in the first packet, 184 in each further one: the 56th passes 10 000.
        #expect(demuxer.statistics.lastDropReason == .limitExceeded(what: "PES packet size", value: 19 + 55 * 184, limit: 10_000))
        #expect(demuxer.flush().isEmpty)
    }

    @Test func pmtWithTooManyStreamsThrows() throws {
        var b = TSBuilder()
        b.pat()
        b.pmt((0..<33).map { (0x1B, 0x100 + UInt16($0)) })
        var demuxer = TSDemuxer()
        var buffer = b.bytes
        #expect(throws: ContainersError.limitExceeded(what: "PMT elementary streams", value: 33, limit: 32)) {
            _ = try demuxer.feed(&buffer)
        }
    }

    @Test func sectionLongerThan1021Throws() throws {
        var b = TSBuilder()
        b.raw(pid: 0, unitStart: true, payload: [0, 0x00, 0xB3, 0xFF, 0, 1, 0xC1, 0, 0])
        var demuxer = TSDemuxer()
        var buffer = b.bytes
        #expect(throws: ContainersError.limitExceeded(what: "PSI section_length (table_id 0)", value: 1_023, limit: 1_021)) {
            _ = try demuxer.feed(&buffer)
        }
    }

    @Test func badCRCIsCountedAndTheTableIgnored() throws {
        var b = TSBuilder()
        b.pat()
        var pmt = ProgramMapTable(programNumber: 1, pcrPID: 0x101, streams: [.init(streamType: 0x0F, pid: 0x101)]).section().serialized()
        pmt[pmt.count - 1] ^= 0x01
        b.section(pmt, pid: 0x1000)
        try b.pes(pid: 0x101, streamID: 0xC0, pts: 0, payload: Self.adtsFrame([1]))
        let result = try demux(b.array)
        #expect(result.statistics.psiErrors == 1)
        #expect(result.outputs.isEmpty)
    }

    @Test func lostAndRepeatedPacketsAreCounted() throws {
        let (bytes, clean) = try Self.clean()
        var packets = stride(from: 0, to: bytes.count, by: 188).map { Array(bytes[$0..<$0 + 188]) }
        // A video packet in the middle of a PES (no payload unit start) goes missing.
        var lost = 0
        for i in packets.indices.dropFirst(100) {
            let p = try TSPacket(packets[i])
            if p.pid == 0x100, !p.payloadUnitStart, p.hasPayload {
                lost = i
                break
            }
        }
        #expect(lost > 0)
        packets.remove(at: lost)
        let result = try demux(packets.flatMap { $0 })
        #expect(result.statistics.continuityErrors == 1)
        #expect(result.statistics.droppedPES == 1)
        #expect(result.samples(0).count == clean.samples(0).count - 1)
        #expect(result.samples(1) == clean.samples(1))

        // A repeated packet (same continuity counter) is skipped.
        var repeated = stride(from: 0, to: bytes.count, by: 188).map { Array(bytes[$0..<$0 + 188]) }
        repeated.insert(repeated[lost], at: lost)
        let dup = try demux(repeated.flatMap { $0 })
        #expect(dup.statistics.duplicatePackets == 1)
        #expect(dup.outputs == clean.outputs)
    }

    @Test func outputsBeforeAnErrorAreKept() throws {
        let (bytes, clean) = try Self.clean()
        var b = TSBuilder()
        b.raw(pid: 0, unitStart: true, payload: [200])  // pointer_field past the packet
        var demuxer = TSDemuxer()
        var buffer = ByteBuffer(bytes: bytes + b.array)
        var outputs: [OutputSummary] = []
        #expect(throws: ContainersError.self) { outputs += try demuxer.feed(&buffer).map(OutputSummary.init) }
        #expect(outputs.isEmpty)
        outputs += try demuxer.feed(&buffer).map(OutputSummary.init)
        outputs += demuxer.flush().map(OutputSummary.init)
        #expect(outputs == clean.outputs)
    }

    @Test func randomDamageNeverCrashes() throws {
        let (bytes, _) = try Self.clean()
        let prefix = Array(bytes.prefix(188 * 120))
        var rng = SplitMix64(seed: 7)
        var thrown = 0, delivered = 0
        for _ in 0..<150 {
            var damaged = prefix
            for _ in 0..<Int.random(in: 1...40, using: &rng) {
                damaged[Int.random(in: 0..<damaged.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            var demuxer = TSDemuxer()
            var buffer = ByteBuffer(bytes: damaged)
            do {
                while buffer.readableBytes >= 188 {
                    let before = buffer.readableBytes
                    delivered += try demuxer.feed(&buffer).count
                    if buffer.readableBytes == before { break }
                }
            } catch {
                thrown += 1
            }
            delivered += demuxer.flush().count
            #expect(demuxer.statistics.packets <= damaged.count / 188 + 1)
        }
        // Most damage is survivable: samples still come out of most runs.
        #expect(delivered > 0)
        #expect(thrown < 150)
    }

    @Test func randomPacketsNeverCrash() throws {
        var rng = SplitMix64(seed: 99)
        var completed = 0
        for _ in 0..<50 {
            var bytes: [UInt8] = []
            for _ in 0..<200 {
                var packet = (0..<188).map { _ in UInt8.random(in: 0...255, using: &rng) }
                packet[0] = 0x47
                if Bool.random(using: &rng) { packet[1] &= 0xE0 }  // PID 0 and other low PIDs: the PSI paths
                bytes += packet
            }
            var demuxer = TSDemuxer()
            var buffer = ByteBuffer(bytes: bytes)
            do {
                _ = try demuxer.feed(&buffer)
                // Sync holds (a sync byte every 188), so every packet is consumed.
                #expect(demuxer.statistics.packets == 200)
                #expect(buffer.readableBytes == 0)
                completed += 1
            } catch {
                #expect(demuxer.statistics.packets <= 200)
            }
            _ = demuxer.flush()
        }
        #expect(completed > 0)
    }
}
