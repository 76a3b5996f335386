import Codecs
import Hub
import MediaCore
import NIOCore
import Testing
@testable import Packager

/// The packager finds CEA-608 and CEA-708 caption channels in a track's SEI and marks its
/// rendition with them as each first appears in a session.
@Suite struct CaptionScanTests {
    /// H.264 with a well-formed `avcC` (4-byte NAL lengths).
    static let video = TrackInfo(
        codec: .h264, timescale: 90_000,
        decoderConfig: AVCDecoderConfigurationRecord(
            profileIndication: 0x64, profileCompatibility: 0, levelIndication: 0x1F,
            sequenceParameterSets: [[0x67, 0x64, 0x00, 0x1F]], pictureParameterSets: [[0x68, 0xEE]]).serialized(),
        codecString: "avc1.64001f", video: VideoParameters(width: 1280, height: 720, frameRate: Rational(30, 1)))

    /// Frame `n` with an SEI NAL unit whose GA94 `cc_data` holds `pair` as a construct of
    /// `cc_type` `type` (0: CEA-608 field 1, odd parity bytes), then its slice.
    static func frame(_ n: Int, pair: (UInt8, UInt8), type: UInt8 = 0) -> Sample {
        let ccData: [UInt8] = [0xB5, 0x00, 0x31, 0x47, 0x41, 0x39, 0x34, 0x03, 0xC1, 0xFF, 0xFC | type, pair.0, pair.1, 0xFF]
        let sei: [UInt8] = [0x06, 0x04, UInt8(ccData.count)] + ccData + [0x80]
        let slice: [UInt8] = [n % 60 == 0 ? 0x65 : 0x41, 0x9A, UInt8(truncatingIfNeeded: n)]
        return Sample(dts: Int64(n) * 3_000, isSync: n % 60 == 0, data: ByteBuffer(bytes: LengthPrefixed.join([sei, slice])))
    }

    /// RCL (Resume Caption Loading) on CC1, and "HE", with odd parity.
    static let cc1Control: (UInt8, UInt8) = (0x94, 0x20)
    static let text: (UInt8, UInt8) = (0xC8, 0x45)

    @Test func marksTheRenditionAsEachChannelFirstSpeaks() {
        var driver = SessionsDriver()
        driver.send(.tracks([Self.video]))
        // Padding first, then text alone: no channel named yet.
        driver.send((0..<10).map { .sample(track: 0, Self.frame($0, pair: (0x80, 0x80))) })
        driver.send((10..<12).map { .sample(track: 0, Self.frame($0, pair: Self.text)) })
        #expect(driver.log("source", "captions") == ["captions source "])
        driver.send((12..<40).map { .sample(track: 0, Self.frame($0, pair: $0 % 2 == 0 ? Self.cc1Control : Self.text)) })
        #expect(driver.log("source", "captions") == ["captions source ", "captions source CC1"])
        // A CEA-708 packet of service 1 later: the rendition has both.
        driver.send((40..<45).map { .sample(track: 0, Self.frame($0, pair: (0x02, 0x22), type: 3)) })
        #expect(driver.log("source", "captions") == ["captions source ", "captions source CC1", "captions source CC1,SERVICE1"])
        #expect(driver.sessions.statistics.malformedCaptionData == 0)
        // A new session is scanned again, from nothing.
        driver.send(.tracks([Self.video]))
        driver.send(.sample(track: 0, Self.frame(0, pair: Self.cc1Control)))
        #expect(driver.log("source", "captions").suffix(2) == ["captions source ", "captions source CC1"])
    }

    @Test func malformedCaptionDataIsCountedAndThePictureStillPackaged() {
        var driver = SessionsDriver()
        driver.send(.tracks([Self.video]))
        var bad = Self.frame(0, pair: Self.cc1Control)
        // An SEI whose payloadSize runs past the end of its NAL unit.
        bad.data = ByteBuffer(bytes: LengthPrefixed.join([[0x06, 0x04, 0x40, 0xB5], [0x65, 0x88]]))
        driver.send([.sample(track: 0, bad)] + (1..<70).map { .sample(track: 0, Self.frame($0, pair: (0x80, 0x80))) })
        #expect(driver.sessions.statistics.malformedCaptionData == 1)
        #expect(driver.log("source", "captions") == ["captions source "])
        #expect(driver.log("source", "close") == ["close source 0"])
    }

    @Test func snapshotCarriesTheChannelsUntilTheNextSession() throws {
        let rendition = LiveRendition(name: "source", configuration: PackagerConfiguration())
        rendition.begin(track: Self.video, initSegment: ByteBuffer(bytes: [9]))
        #expect(try #require(rendition.snapshot()).captions == nil)
        rendition.markCaptions(CaptionChannels())
        #expect(try #require(rendition.snapshot()).captions == CaptionChannels())
        let cc3 = try #require(CaptionChannels(instreamIDs: ["CC3"]))
        rendition.markCaptions(cc3)
        #expect(try #require(rendition.snapshot()).captions == cc3)
        // A new session (or an edge's rendition, which no packager scans) is not known.
        rendition.begin(track: Self.video, initSegment: ByteBuffer(bytes: [9]))
        #expect(try #require(rendition.snapshot()).captions == nil)
    }
}
