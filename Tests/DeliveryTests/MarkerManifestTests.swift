import Archive
import Foundation
import Manifests
import MediaCore
import NIOCore
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
        try Self.expectOnSegment12(stream.events[0], in: period)
    }

    @Test func theMPDLeavesOutMarkersItDoesNotList() {
        let manifest = DASHBuilder.manifest(
            channel: "news", snapshots: DASHBuilderTests.window, configuration: PackagerConfiguration(), markers: [Self.marker(msn: 40)],
            now: DASHBuilderTests.anchor + 40_000)
        #expect(manifest.periods.allSatisfy { $0.eventStreams.isEmpty })
    }

    // MARK: From the archive

    /// What the archive keeps of `snapshot`'s segments `msns`: each completed as the packager
    /// completes it for the archive, with the markers whose boundaries are on it.
    static func archived(_ snapshot: RenditionSnapshot, markers: [LiveMarker], msns: Range<Int> = 10..<16) -> [SegmentRecord] {
        let rendition = LiveRendition(name: snapshot.name, configuration: PackagerConfiguration())
        rendition.begin(track: snapshot.track, initSegment: ByteBuffer(string: "init"))
        return snapshot.segments.compactMap { segment in
            rendition.open(msn: segment.msn, startDTS: segment.startDTS, programDateTime: segment.programDateTime)
            rendition.add(LivePart(index: 0, duration: segment.duration, independent: true, data: ByteBuffer(bytes: [1])), msn: segment.msn)
            rendition.close(msn: segment.msn)
            guard msns.contains(segment.msn) else { return nil }
            return rendition.completed(msn: segment.msn, channel: "news", markers: markers).map(SegmentRecord.init)
        }
    }

    static func dateRanges(_ text: String) -> [String] { Self.lines(text).filter { $0.hasPrefix("#EXT-X-DATERANGE:") } }

    /// The event lands where segment 12 does: its presentation time in the audio's timeline.
    static func expectOnSegment12(_ event: DASHManifest.EventStream.Event, in period: DASHManifest.Period) throws {
        let template = try #require(period.adaptationSets.last?.representations.first?.segments)
        let segment = Self.audio.segments.first { $0.msn == 12 }!
        let segmentTime = MediaTime(ticks: segment.startDTS - template.presentationTimeOffset, timescale: 48_000).milliseconds
        #expect(abs(segmentTime - event.presentationTime) <= 1)
    }

    /// The URI of the segment a tag goes with: the first after it.
    static func segment(after tag: String, in text: String) -> String? {
        let all = Self.lines(text)
        guard let index = all.firstIndex(of: tag) else { return nil }
        return all[(index + 1)...].first { !$0.hasPrefix("#") }
    }

    @Test func theArchiveKeepsTheBreakWithItsStartAndItsReturn() {
        // A break long over (its return before segment 10) is on none of them, not even on the
        // rendition's first segment, which has none before it.
        let records = Self.archived(Self.audio, markers: [Self.marker(), Self.marker(msn: 3)])
        #expect(records.map(\.msn) == Array(10..<16))
        #expect(records.filter { !$0.markers.isEmpty }.map(\.msn) == [12, 14])
        #expect(records.allSatisfy { $0.markers.allSatisfy { $0.id == "b1" && $0.msn == 12 } })
    }

    /// A catch-up playlist of the window's range lists the live playlist's tags, byte for byte,
    /// each with the archived copy of the segment the live one had it on.
    @Test func aCatchUpListsTheLiveDateRanges() throws {
        let marker = Self.marker()
        let live = Self.playlist([marker])
        let records = Self.archived(Self.audio, markers: [marker])
        let catchUp = PlaylistBuilder.archived(records, ended: true)
        let tags = Self.dateRanges(catchUp)
        #expect(tags.count == 2)
        #expect(tags == Self.dateRanges(live))
        for (tag, msn) in zip(tags, [12, 14]) {
            let record = try #require(records.first { $0.msn == msn })
            #expect(Self.segment(after: tag, in: catchUp) == ArchiveURI.segment(record))
            #expect(Self.segment(after: tag, in: live) == "\(msn).m4s")
        }
        // Without markers in the archive, none.
        #expect(Self.dateRanges(PlaylistBuilder.archived(Self.archived(Self.audio, markers: []), ended: true)).isEmpty)
    }

    /// A range that starts inside the break: its return only, as a live window that starts there
    /// lists it; one that starts on the return lists nothing (the listing does not show the
    /// break went on before it).
    @Test func aRangeThatStartsInsideTheBreakListsItsReturn() throws {
        let marker = Self.marker()
        let inside = PlaylistBuilder.archived(Self.archived(Self.audio, markers: [marker], msns: 13..<16), ended: true)
        let tags = Self.dateRanges(inside)
        #expect(tags.count == 1)
        #expect(tags.first?.contains("SCTE35-IN=0xFC02") == true)
        #expect(tags.first.flatMap { Self.segment(after: $0, in: inside) }?.contains("-0000000014_") == true)
        let onReturn = PlaylistBuilder.archived(Self.archived(Self.audio, markers: [marker], msns: 14..<16), ended: true)
        #expect(Self.dateRanges(onReturn).isEmpty)
    }

    /// A DVR playlist of a channel whose packager no longer holds the marker (a restart): the
    /// archived run before the window brings it.
    @Test func aDVRPlaylistListsTheArchivedMarkers() throws {
        let marker = Self.marker()
        let long = DASHBuilderTests.snapshot(
            "audio", DASHBuilderTests.audio,
            DASHBuilderTests.segments(10..<20, first: 962_208, step: 96_000, duration: 96_000, timescale: 48_000))
        var window = long
        window.segments = Array(long.segments.suffix(4))
        let archived = Self.archived(long, markers: [marker], msns: 10..<16)
        let dvr = PlaylistBuilder.media(
            window, siblings: [], configuration: PackagerConfiguration(), deltaUpdate: false, archived: archived,
            now: DASHBuilderTests.anchor + 40_000)
        let full = PlaylistBuilder.media(
            long, siblings: [], configuration: PackagerConfiguration(), deltaUpdate: false, markers: [marker],
            now: DASHBuilderTests.anchor + 40_000)
        #expect(Self.dateRanges(dvr).count == 2)
        #expect(Self.dateRanges(dvr) == Self.dateRanges(full))
        // While the packager still holds it too, it is listed once.
        let both = PlaylistBuilder.media(
            window, siblings: [], configuration: PackagerConfiguration(), deltaUpdate: false, archived: archived, markers: [marker],
            now: DASHBuilderTests.anchor + 40_000)
        #expect(Self.dateRanges(both) == Self.dateRanges(full))
    }

    /// The static MPD of a catch-up: the same SCTE-35 event, at the break's time on its own
    /// timeline, where the segment it starts is presented.
    @Test func theStaticMPDCarriesTheArchivedBreak() throws {
        let marker = Self.marker()
        let renditions = DASHBuilderTests.window.map { snapshot in
            DASHBuilder.Rendition(PlaylistBuilder.VariantSource(snapshot), records: Self.archived(snapshot, markers: [marker]))
        }
        let manifest = DASHBuilder.manifest(
            channel: "news", renditions: renditions, configuration: PackagerConfiguration(), type: .static,
            timeShiftBufferDepth: PackagerConfiguration().window, now: DASHBuilderTests.anchor + 40_000)
        let period = try #require(manifest.periods.first)
        #expect(manifest.periods.count == 1 && period.start == 0)
        let stream = try #require(period.eventStreams.first)
        #expect(stream.events == [DASHManifest.EventStream.Event(
            presentationTime: marker.programDateTime - manifest.availabilityStartTime, duration: 4_000, id: 77,
            binary: Data([0xFC, 0x01]).base64EncodedString())])
        try Self.expectOnSegment12(stream.events[0], in: period)
        #expect(manifest.render().contains("<Binary>\(Data([0xFC, 0x01]).base64EncodedString())</Binary>"))
    }

    /// A catch-up that starts with the break: its Period starts with the latest first segment of
    /// its renditions, which may be a few milliseconds after the break's date; the event is at
    /// the Period's start, not left out.
    @Test func aCatchUpThatStartsWithTheBreakCarriesItAtZero() throws {
        var marker = Self.marker()
        marker.programDateTime -= 10
        let renditions = DASHBuilderTests.window.map { snapshot in
            DASHBuilder.Rendition(
                PlaylistBuilder.VariantSource(snapshot), records: Self.archived(snapshot, markers: [marker], msns: 12..<16))
        }
        let manifest = DASHBuilder.manifest(
            channel: "news", renditions: renditions, configuration: PackagerConfiguration(), type: .static,
            timeShiftBufferDepth: PackagerConfiguration().window, now: DASHBuilderTests.anchor + 40_000)
        let events = manifest.periods.flatMap(\.eventStreams).flatMap(\.events)
        #expect(events.map(\.presentationTime) == [0])
        #expect(events.map(\.id) == [77])
    }
}
