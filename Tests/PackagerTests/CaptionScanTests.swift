import Codecs
import Hub
import MediaCore
import NIOCore
import Testing
@testable import Packager

/// The packager finds CEA-608 captions in a track's SEI and marks its rendition, once per session.
@Suite struct CaptionScanTests {
    /// H.264 with a well-formed `avcC` (4-byte NAL lengths).
    static let video = TrackInfo(
        codec: .h264, timescale: 90_000,
        decoderConfig: AVCDecoderConfigurationRecord(
            profileIndication: 0x64, profileCompatibility: 0, levelIndication: 0x1F,
            sequenceParameterSets: [[0x67, 0x64, 0x00, 0x1F]], pictureParameterSets: [[0x68, 0xEE]]).serialized(),
        codecString: "avc1.64001f", video: VideoParameters(width: 1280, height: 720, frameRate: Rational(30, 1)))

    /// Frame `n` with an SEI NAL unit whose GA94 `cc_data` holds `pair` on field 1 (odd parity
    /// bytes), then its slice.
    static func frame(_ n: Int, pair: (UInt8, UInt8)) -> Sample {
        let ccData: [UInt8] = [0xB5, 0x00, 0x31, 0x47, 0x41, 0x39, 0x34, 0x03, 0xC1, 0xFF, 0xFC, pair.0, pair.1, 0xFF]
        let sei: [UInt8] = [0x06, 0x04, UInt8(ccData.count)] + ccData + [0x80]
        let slice: [UInt8] = [n % 60 == 0 ? 0x65 : 0x41, 0x9A, UInt8(truncatingIfNeeded: n)]
        return Sample(dts: Int64(n) * 3_000, isSync: n % 60 == 0, data: ByteBuffer(bytes: LengthPrefixed.join([sei, slice])))
    }

    @Test func marksTheRenditionOnItsFirstCaptionOnly() {
        var driver = SessionsDriver()
        driver.send(.tracks([Self.video]))
        // Padding first: not captions yet.
        driver.send((0..<10).map { .sample(track: 0, Self.frame($0, pair: (0x80, 0x80))) })
        #expect(driver.log("source", "captions") == ["captions source false"])
        driver.send((10..<40).map { .sample(track: 0, Self.frame($0, pair: (0xC8, 0x45))) })
        #expect(driver.log("source", "captions") == ["captions source false", "captions source true"])
        #expect(driver.sessions.statistics.malformedCaptionData == 0)
        // A new session is scanned again.
        driver.send(.tracks([Self.video]))
        driver.send(.sample(track: 0, Self.frame(0, pair: (0xC8, 0x45))))
        #expect(driver.log("source", "captions").suffix(2) == ["captions source false", "captions source true"])
    }

    @Test func malformedCaptionDataIsCountedAndThePictureStillPackaged() {
        var driver = SessionsDriver()
        driver.send(.tracks([Self.video]))
        var bad = Self.frame(0, pair: (0xC8, 0x45))
        // An SEI whose payloadSize runs past the end of its NAL unit.
        bad.data = ByteBuffer(bytes: LengthPrefixed.join([[0x06, 0x04, 0x40, 0xB5], [0x65, 0x88]]))
        driver.send([.sample(track: 0, bad)] + (1..<70).map { .sample(track: 0, Self.frame($0, pair: (0x80, 0x80))) })
        #expect(driver.sessions.statistics.malformedCaptionData == 1)
        #expect(driver.log("source", "captions") == ["captions source false"])
        #expect(driver.log("source", "close") == ["close source 0"])
    }

    @Test func snapshotCarriesTheFlagUntilTheNextSession() throws {
        let rendition = LiveRendition(name: "source", configuration: PackagerConfiguration())
        rendition.begin(track: Self.video, initSegment: ByteBuffer(bytes: [9]))
        #expect(try #require(rendition.snapshot()).carriesCaptions == nil)
        rendition.markCaptions(false)
        #expect(try #require(rendition.snapshot()).carriesCaptions == false)
        rendition.markCaptions()
        #expect(try #require(rendition.snapshot()).carriesCaptions == true)
        // A new session (or an edge's rendition, which no packager scans) is not known.
        rendition.begin(track: Self.video, initSegment: ByteBuffer(bytes: [9]))
        #expect(try #require(rendition.snapshot()).carriesCaptions == nil)
    }
}
