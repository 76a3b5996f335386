import Delivery
@testable import Edge
import Foundation
import Manifests
import MediaCore
@testable import Packager
import Testing

/// Ad and programme markers through edges (issue 18, item 5; issue 14): the origin's
/// `EXT-X-DATERANGE` tags and MPD events, served by the edge with the origin's bytes.
@Suite("Edge markers", .serialized)
struct EdgeMarkerTests {
    static func dateRanges(_ text: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix("#EXT-X-DATERANGE:") }.map(String.init)
    }

    /// The MPD's `EventStream` elements, as text.
    static func eventStreams(_ text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "<EventStream"), let close = rest[open.upperBound...].range(of: "</EventStream>") {
            found.append(String(rest[open.lowerBound..<close.upperBound]))
            rest = rest[close.upperBound...]
        }
        return found
    }

    @Test("an origin's ad break, and its return, reach an edge and an edge of that edge with the origin's bytes")
    func carriesAnAdBreak() async throws {
        let origin = try await TestOrigin(channel: "tv")
        defer { origin.stop() }
        let edge = try await TestEdge(origins: [origin.url])
        defer { edge.stop() }
        let lower = try await TestEdge(origins: [edge.url])
        defer { lower.stop() }
        #expect(try await HTTP.get("\(edge.url)/hls/tv/master.m3u8").status == 200)
        #expect(try await HTTP.get("\(lower.url)/hls/tv/master.m3u8").status == 200)

        // A 4 s ad break at 10 s of the source's timeline: segment 5 starts there, its return on
        // segment 7 (2 s segments).
        #expect(origin.mark(ChannelMarker(
            id: "break-1", kind: .adBreak, start: .mediaTime(MediaTime(ticks: 10, timescale: 1)), duration: MediaTime(ticks: 4, timescale: 1))))
        try await origin.feed(seconds: 8..<20)
        #expect(try await settle { Compare.caughtUp(edge, with: origin) && Compare.caughtUp(lower, with: origin) })
        #expect(origin.packager.markers.map(\.id) == ["break-1"])

        let names = try Compare.renditionNames(try await HTTP.get("\(origin.url)/hls/tv/master.m3u8").text)
        for name in names {
            let originText = try await HTTP.get("\(origin.url)/hls/tv/\(name)/index.m3u8").text
            let tags = Self.dateRanges(originText)
            try #require(tags.count == 2, "\(name)")
            #expect(tags[0].contains(",SCTE35-OUT=0x"))
            #expect(tags[1].contains(",SCTE35-IN=0x"))
            for server in [edge.url, lower.url] {
                let text = try await HTTP.get("\(server)/hls/tv/\(name)/index.m3u8").text
                #expect(Self.dateRanges(text) == tags, "\(server) \(name)")
                try Compare.samePlaylist(edge: text, origin: originText)
                // A delta update carries them too (never skipped), and so does a blocking reload.
                #expect(Self.dateRanges(try await HTTP.get("\(server)/hls/tv/\(name)/index.m3u8?_HLS_skip=YES").text) == tags)
                let parsed = try MediaPlaylist.parse(text)
                let last = Int(parsed.mediaSequence) + parsed.segments.count - 1
                let blocking = try await HTTP.get("\(server)/hls/tv/\(name)/index.m3u8?_HLS_msn=\(last)&_HLS_part=0")
                #expect(blocking.status == 200)
                #expect(Self.dateRanges(blocking.text) == tags)
            }
        }

        let originMPD = try await HTTP.get("\(origin.url)/dash/tv/manifest.mpd").text
        let events = Self.eventStreams(originMPD)
        try #require(events.count == 1)
        #expect(events[0].contains("id=\"\(ChannelMarker.eventID(for: "break-1"))\""))
        for server in [edge.url, lower.url] {
            #expect(Self.eventStreams(try await HTTP.get("\(server)/dash/tv/manifest.mpd").text) == events, "\(server)")
        }
    }

    /// An origin's ad break, as the packager makes it: on segment 12, 4 s long.
    static let marker = LiveMarker(
        ChannelMarker(id: "b1", kind: .adBreak, start: .mediaTime(MediaTime(ticks: 20, timescale: 1)), duration: MediaTime(ticks: 4, timescale: 1)),
        msn: 12, start: MediaTime(ticks: 20 * 90_000, timescale: 90_000), programDateTime: 1_796_630_424_000)

    /// Six 2 s segments, 10 to 15, with `ranges` on 12 and the return on 14.
    static func originPlaylist(extra: String = "") -> String {
        var segments = (10..<16).map { msn in
            MediaPlaylist.Segment(uri: "\(msn).m4s", duration: MediaTime(ticks: 2, timescale: 1), map: .init(uri: "init.mp4"),
                                  programDateTime: marker.programDateTime + Int64(msn - 12) * 2_000)
        }
        segments[2].dateRanges = [.init(id: "b1", rangeClass: ChannelMarker.Kind.adBreak.dateRangeClass, startDate: marker.programDateTime,
                                        plannedDuration: marker.duration, scte35: .out(marker.cue))]
        segments[4].dateRanges = [.init(id: "b1", rangeClass: ChannelMarker.Kind.adBreak.dateRangeClass, startDate: marker.programDateTime,
                                        duration: marker.duration, scte35: .in(marker.returnCue!))]
        let text = MediaPlaylist(version: 9, targetDuration: 2, mediaSequence: 10, segments: segments).render()
        return text.replacingOccurrences(of: "#EXTINF:2.00000,\n11.m4s", with: "\(extra)#EXTINF:2.00000,\n11.m4s")
    }

    static func take(_ text: String, into markers: EdgeMarkers) throws -> (playlist: MediaPlaylist, leftOut: Int) {
        let playlist = try MediaPlaylist.parse(text, timescale: 90_000, limits: EdgeLimits().playlistLimits)
        let taken = markers.take(RenditionPull.listed(playlist).map { (msn: $0.msn, dateRanges: $0.dateRanges) })
        return (playlist, taken.leftOut)
    }

    @Test("the date ranges of an origin's playlist become the markers it rendered them from")
    func readsTheMarkerBack() throws {
        let markers = EdgeMarkers()
        let (_, leftOut) = try Self.take(Self.originPlaylist(), into: markers)
        #expect(leftOut == 0)
        var expected = Self.marker
        expected.duration = MediaTime(ticks: 4 * 90_000, timescale: 90_000)
        #expect(markers.markers == [expected])
        // Read again, nothing changes.
        _ = try Self.take(Self.originPlaylist(), into: markers)
        #expect(markers.markers == [expected])
    }

    @Test("a date range over a limit, or not a marker's, is left out; the playlist and the other markers stand",
          arguments: [
              // A cue over the 4,096 bytes of the largest splice_info_section.
              "#EXT-X-DATERANGE:ID=\"big\",CLASS=\"urn:antenne:marker:adBreak\",START-DATE=\"2026-12-07T08:00:22.000Z\",PLANNED-DURATION=4.00000,SCTE35-OUT=0x"
                  + String(repeating: "FC", count: 4_097) + "\n",
              // A cue whose CRC is wrong.
              "#EXT-X-DATERANGE:ID=\"crc\",CLASS=\"urn:antenne:marker:adBreak\",START-DATE=\"2026-12-07T08:00:22.000Z\",PLANNED-DURATION=4.00000,SCTE35-OUT=0xFC301100000000000000FFF00506FE0000000000000000\n",
              // Another class.
              "#EXT-X-DATERANGE:ID=\"other\",CLASS=\"com.example.ad\",START-DATE=\"2026-12-07T08:00:22.000Z\",PLANNED-DURATION=4.00000\n",
              // An id over 64 bytes.
              "#EXT-X-DATERANGE:ID=\"\(String(repeating: "i", count: 65))\",CLASS=\"urn:antenne:marker:programme\",START-DATE=\"2026-12-07T08:00:22.000Z\",PLANNED-DURATION=4.00000,SCTE35-CMD=0xFC\n",
              // A return whose start the edge never saw.
              "#EXT-X-DATERANGE:ID=\"gone\",CLASS=\"urn:antenne:marker:adBreak\",START-DATE=\"2026-12-07T08:00:00.000Z\",DURATION=4.00000,SCTE35-IN=0xFC\n",
          ])
    func leavesOutWhatItCannotHold(tag: String) throws {
        let markers = EdgeMarkers()
        let (playlist, leftOut) = try Self.take(Self.originPlaylist(extra: tag), into: markers)
        #expect(playlist.segments.count == 6)
        #expect(playlist.droppedDateRanges + leftOut == 1)
        #expect(markers.markers.map(\.id) == ["b1"])
        #expect(markers.markers.first?.returnCue == Self.marker.returnCue)
    }

    @Test("an edge holds as many markers as an origin, the oldest dropped first")
    func holdsAtMostAnOriginsMarkers() {
        let markers = EdgeMarkers()
        for index in 0..<(EdgeMarkers.maximum + 3) {
            let marker = LiveMarker(
                ChannelMarker(id: "m\(index)", kind: .programme, start: .mediaTime(MediaTime(ticks: Int64(index), timescale: 1)),
                              duration: MediaTime(ticks: 60, timescale: 1)),
                msn: index, start: MediaTime(ticks: Int64(index), timescale: 1), programDateTime: 1_796_630_400_000 + Int64(index) * 1_000)
            let range = MediaPlaylist.DateRange(
                id: marker.id, rangeClass: ChannelMarker.Kind.programme.dateRangeClass, startDate: marker.programDateTime,
                plannedDuration: marker.duration, scte35: .command(marker.cue))
            markers.take([(msn: index, dateRanges: [range])])
        }
        #expect(markers.markers.count == EdgeMarkers.maximum)
        #expect(markers.markers.first?.id == "m3")
    }
}
