import MediaCore
import NIOCore
import Testing
@testable import Containers

@Suite struct TSTablesTests {
    /// PTS/DTS values and their 5-byte fields (ISO/IEC 13818-1 §2.4.3.7), shared by parse and write.
    static let timestamps: [(value: UInt64, prefix: UInt8, bytes: [UInt8])] = [
        (0, 0x2, [0x21, 0x00, 0x01, 0x00, 0x01]),
        (133_200, 0x2, [0x21, 0x00, 0x09, 0x10, 0xA1]),
        (126_000, 0x1, [0x11, 0x00, 0x07, 0xD8, 0x61]),
        ((1 << 33) - 1, 0x3, [0x3F, 0xFF, 0xFF, 0xFF, 0xFF]),
    ]

    @Test(arguments: 0..<timestamps.count) func timestampFields(_ i: Int) {
        let c = Self.timestamps[i]
        var out: [UInt8] = []
        PESHeader.writeTimestamp(c.value, prefix: c.prefix, into: &out)
        #expect(out == c.bytes)
        #expect(PESHeader.readTimestamp(c.bytes[...]) == c.value)
    }

    @Test func pesHeaderRoundTrips() throws {
        let header = try PESHeader.serialize(streamID: 0xE0, pts: 133_200, dts: 126_000, payloadLength: 100, unboundedAllowed: true)
        #expect(header.count == 19)
        let parsed = try PESHeader(parsing: header)
        #expect(parsed.streamID == 0xE0 && parsed.packetLength == 113 && parsed.headerLength == 19)
        #expect(parsed.pts == 133_200 && parsed.dts == 126_000)
        #expect(try PESHeader.serialize(streamID: 0xE0, pts: 0, dts: nil, payloadLength: 70_000, unboundedAllowed: true)[4...5] == [0, 0])
        #expect(throws: ContainersError.self) {
            try PESHeader.serialize(streamID: 0xC0, pts: 0, dts: nil, payloadLength: 70_000, unboundedAllowed: false)
        }
        let bad: [[UInt8]] = [[0, 0, 2, 0xE0, 0, 0, 0x80, 0x80, 5], [0, 0, 1, 0xE0, 0, 0, 0x40, 0x80, 5],
                              [0, 0, 1, 0xE0, 0, 0, 0x80, 0x40, 0], [0, 0, 1, 0xE0, 0, 0, 0x80, 0x80, 5, 0x21]]
        for bytes in bad { #expect(throws: ContainersError.self) { try PESHeader(parsing: bytes) } }
    }

    /// ffmpeg's PAT and PMT for one H.264 and one AAC stream are what our muxer writes too.
    @Test func tablesMatchFFmpegs() throws {
        let bytes = try Vectors.bytes("h264_aac.ts")
        // ffmpeg writes its SDT first, then PAT and PMT.
        let pat = try TSPacket(Array(bytes[188..<376]))
        let pmt = try TSPacket(Array(bytes[376..<564]))
        #expect(pat.pid == 0 && pmt.pid == 0x1000)
        let muxer = try TSMuxer(tracks: [FLVSource.load().tracks[0], TSVectorTests.aacTrack])
        #expect(Array(pat.payload) == [0] + muxer.patSection + [UInt8](repeating: 0xFF, count: 183 - muxer.patSection.count))
        #expect(Array(pmt.payload) == [0] + muxer.pmtSection + [UInt8](repeating: 0xFF, count: 183 - muxer.pmtSection.count))
    }

    @Test func sectionsSplitAcrossPacketsAndSharingOne() throws {
        let table = ProgramMapTable(programNumber: 1, pcrPID: 0x100, programDescriptors: [UInt8](repeating: 0x41, count: 400),
                                    streams: [.init(streamType: 0x1B, pid: 0x100)])
        let section = table.section().serialized()
        var cc: UInt8 = 0
        var out = ByteBuffer()
        TSPacketWriter.writeSection(section, pid: 0x1000, continuityCounter: &cc, into: &out)
        #expect(out.readableBytes == 3 * 188)
        #expect(cc == 3)
        var assembler = PSISectionAssembler()
        var found: [[UInt8]] = []
        for i in 0..<3 {
            let packet = try TSPacket(Array(out.readableBytesView.dropFirst(i * 188).prefix(188)))
            found += try assembler.push(packet.payload, unitStart: packet.payloadUnitStart)
        }
        #expect(found == [section])
        #expect(try ProgramMapTable(PSISection(parsing: section, what: "PMT"), maxStreams: 32) == table)

        // Two sections in one payload, the second starting after the first; then stuffing.
        let pat = ProgramAssociationTable(programs: [.init(number: 1, pmtPID: 0x1000)]).section().serialized()
        let payload = [0] + pat + pat + [0xFF, 0xFF]
        var two = PSISectionAssembler()
        #expect(try two.push(payload[...], unitStart: true) == [pat, pat])
        // A pointer_field that finishes the previous section before a new one.
        var split = PSISectionAssembler()
        #expect(try split.push(([0] + pat.prefix(10))[...], unitStart: true).isEmpty)
        #expect(try split.push(([UInt8(pat.count - 10)] + pat.dropFirst(10) + pat)[...], unitStart: true) == [pat, pat])
        #expect(PSISection.hasValidCRC(pat))
    }

    @Test func packetWriterStuffsAndCarriesPCR() throws {
        for size in [0, 1, 2, 7, 100, 175, 176, 177, 183, 184, 185, 400] {
            var payload = ByteBuffer(repeating: 0xAB, count: size)
            var out = ByteBuffer()
            var packets = 0
            var pcr: UInt64? = 123_456_789
            repeat {
                TSPacketWriter.writePacket(pid: 0x100, payloadUnitStart: packets == 0, continuityCounter: UInt8(packets), pcrBase: pcr,
                                           randomAccess: packets == 0, payload: &payload, into: &out)
                packets += 1
                pcr = nil
            } while payload.readableBytes > 0
            #expect(out.readableBytes == packets * 188)
            var carried = 0
            for i in 0..<packets {
                let packet = try TSPacket(Array(out.readableBytesView.dropFirst(i * 188).prefix(188)))
                #expect(packet.pcrBase == (i == 0 ? 123_456_789 : nil))
                #expect(packet.randomAccess == (i == 0))
                #expect(packet.payload.allSatisfy { $0 == 0xAB })
                carried += packet.payload.count
            }
            #expect(carried == size)
        }
    }
}
