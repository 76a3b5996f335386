@testable import Edge
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
