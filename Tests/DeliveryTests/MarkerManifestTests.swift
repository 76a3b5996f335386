import Foundation
import Manifests
import MediaCore
import Testing
@testable import Delivery
@testable import Packager

/// Markers in the playlists and the MPD built from a live window: a 4 s ad break on segment 12.
@Suite struct MarkerManifestTests {
    static let audio = DASHBuilderTests.window[1]

    static func marker(msn: Int = 12) -> LiveMarker {
        // The program date time segment `msn` of the audio has, listed or not.
        let start = DASHBuilderTests.anchor + MediaTime(ticks: 962_208 + Int64(msn - 10) * 96_000, timescale: 48_000).milliseconds
        return LiveMarker(
            id: "b1", kind: .adBreak, msn: msn, start: MediaTime(ticks: 0, timescale: 90_000), programDateTime: start,
            duration: MediaTime(ticks: 4, timescale: 1), eventID: 77, cue: [0xFC, 0x01], returnCue: [0xFC, 0x02])
    }

    static func playlist(_ markers: [LiveMarker], deltaUpdate: Bool = false) -> String {
        PlaylistBuilder.media(
            audio, siblings: [], configuration: PackagerConfiguration(), deltaUpdate: deltaUpdate, markers: markers,
            now: DASHBuilderTests.anchor + 40_000)
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    @Test func theBreakStartsOnItsSegmentAndReturnsOnTheFirstAfterItsEnd() throws {
        let lines = Self.lines(Self.playlist([Self.marker()]))
        let ranges = lines.enumerated().filter { $0.element.hasPrefix("#EXT-X-DATERANGE:") }
        #expect(ranges.count == 2)
        // Each right before the URI of its segment (after its date-time, before its EXTINF).
        let out = try #require(ranges.first)
        #expect(out.element.contains("ID=\"b1\""))
        #expect(out.element.contains("PLANNED-DURATION=4.00000,SCTE35-OUT=0xFC01"))
        #expect(lines[(out.offset + 1)...].first { $0.hasSuffix(".m4s") } == "12.m4s")
        #expect(lines[out.offset - 1].hasPrefix("#EXT-X-PROGRAM-DATE-TIME:"))
        let back = try #require(ranges.last)
        #expect(back.element.contains("DURATION=4.00000,SCTE35-IN=0xFC02"))
        #expect(lines[(back.offset + 1)...].first { $0.hasSuffix(".m4s") } == "14.m4s")
        // The same START-DATE on both.
        let date = { (line: String) in line.components(separatedBy: "START-DATE=\"")[1].prefix(24) }
        #expect(date(out.element) == date(back.element))
    }

    @Test func aMarkerWhoseSegmentsAreGoneIsNotListed() {
        #expect(!Self.playlist([Self.marker(msn: 3)]).contains("DATERANGE"))
    }

    /// Twenty segments: a delta update skips eight (40 s listed, CAN-SKIP-UNTIL six 4 s target
    /// durations), and with them both ends of the break, whose tags it keeps.
    @Test func aDeltaUpdateKeepsTheMarker() {
        let long = DASHBuilderTests.snapshot(
            "audio", DASHBuilderTests.audio,
            DASHBuilderTests.segments(10..<30, first: 962_208, step: 96_000, duration: 96_000, timescale: 48_000))
        let text = PlaylistBuilder.media(
            long, siblings: [], configuration: PackagerConfiguration(), deltaUpdate: true, markers: [Self.marker(msn: 10)],
            now: DASHBuilderTests.anchor + 40_000)
        #expect(text.contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=8"))
        #expect(text.components(separatedBy: "#EXT-X-DATERANGE:").count == 3)
        #expect(text.contains("SCTE35-OUT=0xFC01"))
        #expect(text.contains("SCTE35-IN=0xFC02"))
    }

    @Test func theMPDCarriesTheBreakAsAnSCTE35EventAtItsTime() throws {
        let marker = Self.marker()
        let manifest = DASHBuilder.manifest(
            channel: "news", snapshots: DASHBuilderTests.window, configuration: PackagerConfiguration(), markers: [marker],
            now: DASHBuilderTests.anchor + 40_000)
        let period = try #require(manifest.periods.first)
        let stream = try #require(period.eventStreams.first)
        #expect(stream.schemeIdUri == "urn:scte:scte35:2014:xml+bin")
        #expect(stream.events == [DASHManifest.EventStream.Event(
            presentationTime: marker.programDateTime - period.start, duration: 4_000, id: 77,
            binary: Data([0xFC, 0x01]).base64EncodedString())])
        // The event lands where the segment does: its presentation time in the audio's timeline.
        let template = try #require(period.adaptationSets.last?.representations.first?.segments)
        let segment = Self.audio.segments.first { $0.msn == 12 }!
        let segmentTime = MediaTime(ticks: segment.startDTS - template.presentationTimeOffset, timescale: 48_000).milliseconds
        #expect(abs(segmentTime - stream.events[0].presentationTime) <= 1)
    }

    @Test func theMPDLeavesOutMarkersItDoesNotList() {
        let manifest = DASHBuilder.manifest(
            channel: "news", snapshots: DASHBuilderTests.window, configuration: PackagerConfiguration(), markers: [Self.marker(msn: 40)],
            now: DASHBuilderTests.anchor + 40_000)
        #expect(manifest.periods.allSatisfy { $0.eventStreams.isEmpty })
    }
}
