import Testing
@testable import MediaCore

@Suite struct MediaTimeTests {
    @Test func rescaleMillisecondsTo90k() {
        #expect(MediaTime(ticks: 1_000, timescale: 1_000).rescaled(to: 90_000).ticks == 90_000)
        #expect(MediaTime.rescale(33, from: 1_000, to: 90_000) == 2_970)
    }

    @Test func rescaleFloorsNegativeValues() {
        #expect(MediaTime.rescale(-1, from: 90_000, to: 1_000) == -1)
        #expect(MediaTime.rescale(-90, from: 90_000, to: 1_000) == -1)
        #expect(MediaTime.rescale(-91, from: 90_000, to: 1_000) == -2)
        #expect(MediaTime.rescale(89, from: 90_000, to: 1_000) == 0)
    }

    @Test func rescaleDoesNotOverflow() {
        // Int64.max / 2 ticks at 1 kHz would overflow a naive multiply by 90 000.
        let big = Int64.max / 100_000
        #expect(MediaTime.rescale(big, from: 1_000, to: 90_000) == big * 90)
        #expect(MediaTime.rescale(Int64.max, from: 90_000, to: 90_000) == Int64.max)
        #expect(MediaTime.rescale(Int64.max, from: 90_000, to: 45_000) == Int64.max / 2)
    }

    @Test func comparesAcrossTimescales() {
        #expect(MediaTime(ticks: 1, timescale: 1_000) < MediaTime(ticks: 91, timescale: 90_000))
        #expect(!(MediaTime(ticks: 1, timescale: 1_000) < MediaTime(ticks: 90, timescale: 90_000)))
        #expect(MediaTime(ticks: -5, timescale: 1) < MediaTime(ticks: 0, timescale: 48_000))
    }

    @Test func frameRateRendersThreeDecimals() {
        #expect(Rational(30_000, 1_001).decimalString == "29.970")
        #expect(Rational(30, 1).decimalString == "30.000")
        #expect(Rational(25, 2).decimalString == "12.500")
    }

    @Test func exponentialGolombRoundTrips() throws {
        var writer = BitWriter()
        let values: [UInt32] = [0, 1, 2, 3, 7, 8, 255, 65_535, 1 << 20]
        for v in values { writer.writeUE(v) }
        writer.writeBits(0b101, count: 3)
        var reader = BitReader(writer.bytes)
        for v in values { #expect(try reader.readUE() == v) }
        #expect(try reader.readBits(3) == 0b101)
    }

    @Test func signedExponentialGolomb() throws {
        // se(v) mapping: 0 -> 0, 1 -> 1, 2 -> -1, 3 -> 2, 4 -> -2 (H.264 Table 9-3).
        var writer = BitWriter()
        for k: UInt32 in [0, 1, 2, 3, 4] { writer.writeUE(k) }
        var reader = BitReader(writer.bytes)
        var decoded: [Int32] = []
        for _ in 0..<5 { decoded.append(try reader.readSE()) }
        #expect(decoded == [0, 1, -1, 2, -2])
    }

    @Test func bitReaderRefusesOverrun() {
        var reader = BitReader([0x00])
        #expect(throws: BitReader.Error.endOfData) { try reader.readBits(9) }
        var zeros = BitReader([UInt8](repeating: 0, count: 8))
        #expect(throws: BitReader.Error.exponentTooLarge) { try zeros.readUE() }
    }

    @Test func crc32MatchesMPEG2CheckValue() {
        // The CRC-32/MPEG-2 check value for "123456789".
        #expect(CRC32MPEG2.checksum(Array("123456789".utf8)) == 0x0376_E6E7)
    }
}
