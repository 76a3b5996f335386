import MediaCore
import Testing
@testable import Manifests

@Suite struct DecimalAndDateTests {
    @Test(arguments: [
        (MediaTime(ticks: 180_000, timescale: 90_000), "2.00000"),
        (MediaTime(ticks: 96_256, timescale: 48_000), "2.00533"),     // 94 AAC frames
        (MediaTime(ticks: 25_600, timescale: 48_000), "0.53333"),
        (MediaTime(ticks: 30_001, timescale: 90_000), "0.33334"),     // 0.333344 rounds down
        (MediaTime(ticks: 1, timescale: 200_000), "0.00001"),         // exactly half rounds up
        (MediaTime(ticks: 0, timescale: 1), "0.00000"),
        (MediaTime(ticks: -45_000, timescale: 90_000), "-0.50000"),
        (MediaTime(ticks: Int64.max, timescale: 90_000), "102481911520608.62008"),
    ])
    func formatsFiveDecimals(time: MediaTime, text: String) {
        #expect(DecimalSeconds.format(time) == text)
    }

    @Test(arguments: [
        ("2", 90_000, 180_000),
        ("2.000000", 90_000, 180_000),
        ("0.33334", 90_000, 30_001),
        ("0.000005", 100_000, 1),          // half a tick rounds up
        ("0.0000049", 100_000, 0),
        ("999999999.999999999", 1, 1_000_000_000),
        ("1.5", 4_294_967_295, 6_442_450_943),
    ])
    func parsesDecimals(text: String, timescale: UInt32, ticks: Int64) {
        #expect(DecimalSeconds.parse(Substring(text), timescale: timescale) == MediaTime(ticks: ticks, timescale: timescale))
    }

    @Test(arguments: ["", ".5", "5.", "1e3", "+1", "-1", "1,5", "1234567890", "0.1234567890", " 1"])
    func rejectsMalformedDecimals(text: String) {
        #expect(DecimalSeconds.parse(Substring(text), timescale: 90_000) == nil)
    }

    @Test(arguments: [
        (Int64(1_795_341_600_000), "2026-11-22T10:00:00.000Z"),
        (951_868_799_999, "2000-02-29T23:59:59.999Z"),
        (1_709_210_096_789, "2024-02-29T12:34:56.789Z"),
        (0, "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
    ])
    func programDateTimeRoundTrips(milliseconds: Int64, text: String) {
        #expect(ProgramDateTime.format(milliseconds) == text)
        #expect(ProgramDateTime.parse(Substring(text)) == milliseconds)
    }

    @Test(arguments: [
        ("2026-11-22T10:00:00Z", Int64(1_795_341_600_000)),
        ("2026-11-22T10:00:00.5Z", 1_795_341_600_500),
        ("2026-11-22T10:00:00.123456Z", 1_795_341_600_123),
        ("2026-11-22T11:00:00.000+01:00", 1_795_341_600_000),
        ("2026-11-22T11:30:00.000+0130", 1_795_341_600_000),   // ffmpeg's %z form
        ("2026-11-22T05:00:00-05", 1_795_341_600_000),
    ])
    func programDateTimeAcceptsOffsets(text: String, milliseconds: Int64) {
        #expect(ProgramDateTime.parse(Substring(text)) == milliseconds)
    }

    @Test(arguments: ["2026-11-22 10:00:00Z", "2026-11-22T10:00:00", "2026-11-22T10:00:00.Z", "2026-11-22T24:00:00Z",
                      "2026-11-22T10:00:00+1", "2026-00-22T10:00:00Z", "2026-11-22T10:00:00Zjunk"])
    func programDateTimeRejectsMalformed(text: String) {
        #expect(ProgramDateTime.parse(Substring(text)) == nil)
    }

    @Test func byteRangeParsesBothForms() {
        #expect(ByteRange.parse("1000@20") == ByteRange(length: 1_000, offset: 20))
        #expect(ByteRange.parse("1000") == ByteRange(length: 1_000))
        #expect(ByteRange.parse("1000@") == nil)
        #expect(ByteRange.parse("@5") == nil)
    }
}
