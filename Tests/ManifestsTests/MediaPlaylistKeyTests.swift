import MediaCore
import Testing
@testable import Manifests

/// `EXT-X-KEY` (RFC 8216bis §4.4.4.4): written where the key changes, with the query on its URI,
/// and never in effect over an `EXT-X-MAP` (§4.4.4.5: init segments stay clear).
struct MediaPlaylistKeyTests {
    static func key(_ period: UInt8) -> MediaPlaylist.Key {
        MediaPlaylist.Key(uri: "../keys/\(period)", iv: Array(repeating: 0, count: 15) + [period * 2])
    }

    static func segment(_ msn: Int, map: String = "init.mp4", key: MediaPlaylist.Key?, parts: [MediaPlaylist.Part] = []) -> MediaPlaylist.Segment {
        MediaPlaylist.Segment(uri: "\(msn).m4s", duration: MediaTime(ticks: 2, timescale: 1), map: MediaPlaylist.Map(uri: map), parts: parts, key: key)
    }

    @Test func keysAreWrittenWhereTheyChange() {
        let part = MediaPlaylist.Part(uri: "3.0.m4s", duration: MediaTime(ticks: 1, timescale: 2), independent: true)
        let playlist = MediaPlaylist(
            version: 9, targetDuration: 2, mediaSequence: 0,
            segments: [Self.segment(0, key: Self.key(0)), Self.segment(1, key: Self.key(0)), Self.segment(2, key: Self.key(1)),
                       Self.segment(3, key: Self.key(1), parts: [part])],
            inProgressSegment: MediaPlaylist.InProgressSegment(map: MediaPlaylist.Map(uri: "init.mp4"), parts: [], key: Self.key(2)))
        let text = playlist.render(query: URIQuery("token=T"))
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("#EXT-X-KEY") || $0.hasPrefix("#EXT-X-MAP") || !$0.hasPrefix("#") || $0.hasPrefix("#EXT-X-PART:") }
        #expect(lines == [
            "#EXT-X-MAP:URI=\"init.mp4?token=T\"",
            "#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/0?token=T\",IV=0x00000000000000000000000000000000",
            "0.m4s?token=T",
            "1.m4s?token=T",
            "#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/1?token=T\",IV=0x00000000000000000000000000000002",
            "2.m4s?token=T",
            // The key comes before the segment's parts: it covers them too.
            "#EXT-X-PART:DURATION=0.50000,URI=\"3.0.m4s?token=T\",INDEPENDENT=YES",
            "3.m4s?token=T",
            "#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/2?token=T\",IV=0x00000000000000000000000000000004",
        ])
    }

    @Test func aMapIsNeverCoveredByAKey() {
        let playlist = MediaPlaylist(
            version: 9, targetDuration: 2,
            segments: [Self.segment(0, key: Self.key(0)), Self.segment(1, map: "init-1.mp4", key: Self.key(0)), Self.segment(2, key: nil)])
        let lines = playlist.render().split(separator: "\n").filter { $0.hasPrefix("#EXT-X-KEY") || $0.hasPrefix("#EXT-X-MAP") }
        #expect(lines == [
            "#EXT-X-MAP:URI=\"init.mp4\"",
            "#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/0\",IV=0x00000000000000000000000000000000",
            "#EXT-X-KEY:METHOD=NONE",
            "#EXT-X-MAP:URI=\"init-1.mp4\"",
            "#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/0\",IV=0x00000000000000000000000000000000",
            "#EXT-X-KEY:METHOD=NONE",
            "#EXT-X-MAP:URI=\"init.mp4\"",
        ])
    }

    /// A delta update's first segment carries its key again, as it does its map.
    @Test func aDeltaUpdateRepeatsTheKeyInEffect() {
        let segments = (0..<10).map { Self.segment($0, key: Self.key(UInt8($0 / 5))) }
        let delta = MediaPlaylist(version: 9, targetDuration: 2, segments: segments).deltaUpdate(canSkipUntil: MediaTime(ticks: 12, timescale: 1))
        #expect(delta.skippedSegments > 0)
        let text = delta.render()
        let skip = text.range(of: "#EXT-X-SKIP")!
        let key = text.range(of: "#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/1\"")!
        #expect(skip.upperBound < key.lowerBound)
    }

    /// What is rendered parses back to the same keys, segment by segment.
    @Test func keysRoundTrip() throws {
        let segments = (0..<6).map { Self.segment($0, key: $0 < 2 ? nil : Self.key(UInt8($0 / 3))) }
        let text = MediaPlaylist(version: 9, targetDuration: 2, segments: segments).render()
        let parsed = try MediaPlaylist.parse(text)
        #expect(parsed.segments.map(\.key) == segments.map(\.key))
        #expect(MediaPlaylist.Key.parseIV("0x000102030405060708090a0B0c0D0e0F") == Array(0..<16))
        #expect(MediaPlaylist.Key.parseIV("0x0001") == nil)
        #expect(MediaPlaylist.Key.parseIV("0x000102030405060708090a0B0c0D0e0G") == nil)
    }

    /// `SAMPLE-AES` (fMP4 `cbcs`) says its key format, leaves maps as they are (the init segment
    /// is not encrypted with the key), and parses back.
    @Test func sampleAESKeysSayTheirFormatAndLeaveMapsAlone() throws {
        let key = MediaPlaylist.Key(method: .sampleAES, uri: "../keys/0", iv: Array(repeating: 0, count: 16))
        let segments = [Self.segment(0, key: key), Self.segment(1, map: "init-1.mp4", key: key)]
        let text = MediaPlaylist(version: 9, targetDuration: 2, segments: segments).render()
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("#EXT-X-KEY") || $0.hasPrefix("#EXT-X-MAP") }
        #expect(lines == [
            "#EXT-X-MAP:URI=\"init.mp4\"",
            "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"../keys/0\",IV=0x00000000000000000000000000000000,KEYFORMAT=\"identity\"",
            "#EXT-X-MAP:URI=\"init-1.mp4\"",
        ])
        #expect(try MediaPlaylist.parse(text).segments.map(\.key) == [key, key])
    }
}
