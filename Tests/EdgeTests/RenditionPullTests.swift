@testable import Edge
import Delivery
import Manifests
import Testing

@Suite("Where a rendition's pull starts in an origin's playlist")
struct RenditionPullTests {
    /// Five complete segments, the last two listed with their parts, and one in progress.
    static let live = """
        #EXTM3U
        #EXT-X-VERSION:9
        #EXT-X-TARGETDURATION:2
        #EXT-X-MEDIA-SEQUENCE:10
        #EXT-X-PART-INF:PART-TARGET=0.50000
        #EXT-X-MAP:URI="init.mp4?token=t"
        #EXTINF:2.00000,
        10.m4s?token=t
        #EXTINF:2.00000,
        11.m4s?token=t
        #EXTINF:2.00000,
        12.m4s?token=t
        #EXT-X-PART:DURATION=1.00000,URI="13.0.m4s?token=t",INDEPENDENT=YES
        #EXT-X-PART:DURATION=1.00000,URI="13.1.m4s?token=t"
        #EXTINF:2.00000,
        13.m4s?token=t
        #EXT-X-PART:DURATION=1.00000,URI="14.0.m4s?token=t",INDEPENDENT=YES
        #EXT-X-PART:DURATION=1.00000,URI="14.1.m4s?token=t"
        #EXTINF:2.00000,
        14.m4s?token=t
        #EXT-X-PART:DURATION=0.50000,URI="15.0.m4s?token=t",INDEPENDENT=YES
        #EXT-X-PRELOAD-HINT:TYPE=PART,URI="15.1.m4s?token=t"

        """

    @Test("segments are numbered from the media sequence, the one in progress last")
    func numbers() throws {
        let listed = RenditionPull.listed(try MediaPlaylist.parse(Self.live))
        #expect(listed.map(\.msn) == [10, 11, 12, 13, 14, 15])
        #expect(listed.map(\.complete) == [true, true, true, true, true, false])
        #expect(listed.map(\.parts.count) == [0, 0, 0, 2, 2, 1])
        #expect(listed.allSatisfy { $0.map.map(RenditionPull.fileName) == "init.mp4" })
    }

    @Test("a pull starts three complete segments from the end, or at the first listed with parts if earlier",
          arguments: [(3, 12), (1, 13), (10, 10)])
    func start(startSegments: Int, msn: Int) throws {
        let listed = RenditionPull.listed(try MediaPlaylist.parse(Self.live))
        #expect(RenditionPull.start(listed, startSegments: startSegments) == msn)
    }

    @Test("a playlist with nothing yet gives no start")
    func empty() throws {
        let text = "#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
        #expect(RenditionPull.start(RenditionPull.listed(try MediaPlaylist.parse(text)), startSegments: 3) == nil)
    }
}

@Suite("How a pull reads an encrypted channel's rotation off its origin's keys")
struct RenditionPullKeysTests {
    /// Segments 10 to 13 of a channel with a new key every `rotation` segments, as an origin
    /// lists them (`ContentEncryption.playlistKey`).
    static func listed(rotation: Int, msns: [Int] = [10, 11, 12, 13]) -> [RenditionPull.Listed] {
        msns.map { msn in
            let period = msn / rotation
            let first = UInt64(period * rotation)
            let iv = [UInt8](repeating: 0, count: 8) + (0..<8).map { UInt8(truncatingIfNeeded: first >> (56 - 8 * $0)) }
            return RenditionPull.Listed(msn: msn, complete: true, parts: [], duration: nil, discontinuity: false, map: nil,
                                        programDateTime: nil, gap: false, key: MediaPlaylist.Key(uri: "../keys/\(period)?token=t", iv: iv))
        }
    }

    @Test("the rotation is the first number of a period over the period", arguments: [1, 2, 3, 4, 5])
    func rotation(segments: Int) throws {
        let encryption = try RenditionPull.encryption(of: Self.listed(rotation: segments), known: nil, rendition: "source")
        #expect(encryption?.rotationSegments == segments)
    }

    @Test("keys of period 0 only keep the rotation known, which lists them the same")
    func periodZero() throws {
        let listed = Self.listed(rotation: 30)
        #expect(try RenditionPull.encryption(of: listed, known: ContentEncryption(rotationSegments: 30), rendition: "source")?.rotationSegments == 30)
        let guessed = try #require(try RenditionPull.encryption(of: listed, known: nil, rendition: "source"))
        #expect(listed.allSatisfy { $0.key.map { RenditionPull.fileName($0.uri) } == guessed.playlistKey(msn: $0.msn).uri })
    }

    @Test("a clear playlist is a clear channel")
    func clear() throws {
        var listed = Self.listed(rotation: 2)
        for index in listed.indices { listed[index].key = nil }
        #expect(try RenditionPull.encryption(of: listed, known: ContentEncryption(rotationSegments: 2), rendition: "source") == nil)
    }

    @Test("keys that follow no single rotation are refused")
    func inconsistent() throws {
        var listed = Self.listed(rotation: 2)
        listed[3].key = Self.listed(rotation: 3, msns: [13])[0].key
        #expect(throws: EdgeError.self) { try RenditionPull.encryption(of: listed, known: nil, rendition: "source") }
        listed = Self.listed(rotation: 2)
        listed[0].key?.uri = "https://keys.example/7"
        #expect(throws: EdgeError.self) { try RenditionPull.encryption(of: listed, known: nil, rendition: "source") }
    }
}
