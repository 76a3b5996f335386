@testable import Archive
import Foundation
import MediaCore
import NIOConcurrencyHelpers
import NIOCore
import Testing
import TestSupport

/// Markers kept with their segments: written next to them, read back with the listing, on disk
/// and on S3; older archives without markers; what is not ours refused; retention takes them
/// with their segments.
@Suite struct SegmentMarkersTests {
    static let t0 = ArchiveReaderTests.t0

    /// A 30 s ad break that starts on segment 42, with both cues.
    static let adBreak = LiveMarker(
        id: "break-1", kind: .adBreak, msn: 42, start: MediaTime(ticks: 3_780_000, timescale: 90_000), programDateTime: t0 + 123,
        duration: MediaTime(ticks: 30, timescale: 1), eventID: 7, cue: [0xFC, 0x30, 0x11], returnCue: [0xFC, 0x30, 0x12])
    /// A programme that starts on segment 42 too.
    static let programme = LiveMarker(
        id: "prog:news.1", kind: .programme, msn: 42, start: MediaTime(ticks: 3_780_000, timescale: 90_000), programDateTime: t0 + 123,
        duration: MediaTime(ticks: 1_800_000, timescale: 1_000), eventID: 8, cue: Array(repeating: 0xAB, count: 200), returnCue: nil)

    static func segment(msn: Int, markers: [LiveMarker] = []) -> CompletedSegment {
        var segment = SegmentRecordTests.segment(msn: msn, pdt: t0 + 123 + Int64(msn - 42) * 2_002)
        segment.markers = markers
        return segment
    }

    /// Writes segments 41 to 45 through the writer: the break and the programme start on 42,
    /// the break returns on 44 (as the packager hands them over), and reads them back.
    static func roundTrip(_ store: any ArchiveStore) async throws {
        let logs = LogCapture()
        let writer = ArchiveWriter(store: store, logger: logs.logger(), retryDelay: { _ in .milliseconds(20) })
        let task = Task { await writer.run() }
        defer { task.cancel() }
        for msn in 41...45 {
            let markers: [LiveMarker] = msn == 42 ? [Self.adBreak, Self.programme] : msn == 44 ? [Self.adBreak] : []
            #expect(writer.enqueue(Self.segment(msn: msn, markers: markers)))
        }
        try await ArchiveWriterTests.waitUntil { writer.statistics.segments == 5 }
        let listed = try await store.list(prefix: "match1/720p/").map(\.key.value).filter { $0.hasSuffix(".json") && !$0.contains("/init/") }
        #expect(listed == ["match1/720p/20261122/12/0000000042.markers.json", "match1/720p/20261122/12/0000000044.markers.json"])

        let reader = ArchiveReader(store: store, now: { Self.t0 + 60_000 }, logger: logs.logger())
        let records = try await reader.records(channel: "match1", rendition: "720p", from: Self.t0 - 60_000, to: Self.t0 + 60_000)
        #expect(records.map(\.msn) == Array(41...45))
        #expect(records.map(\.markers) == [[], [Self.adBreak, Self.programme], [], [Self.adBreak], []])
        #expect(records == (41...45).map { msn -> SegmentRecord in
            var record = SegmentRecord(Self.segment(msn: msn, markers: records[msn - 41].markers))
            record.size = records[msn - 41].size
            return record
        })
        #expect(logs.count == 0, "\(logs.text)")
    }

    @Test func markersAreKeptWithTheirSegmentOnDisk() async throws {
        try await ArchiveReaderTests.withDisk { store in try await Self.roundTrip(store) }
    }

    @Test func markersAreKeptWithTheirSegmentOnS3() async throws {
        try await S3ArchiveStoreTests.withMotoStore(.path) { store in try await Self.roundTrip(store) }
    }

    /// What an archive written before markers were kept holds: segments alone. They read as
    /// they did, without markers; a markers' object whose segment is not there is not a segment.
    @Test func anOlderArchiveReadsWithoutMarkers() async throws {
        try await ArchiveReaderTests.withDisk { store in
            for msn in 41...43 {
                let segment = Self.segment(msn: msn)
                try await store.put(try SegmentRecord(segment).key, parts: segment.parts)
            }
            let lone = SegmentRecord(Self.segment(msn: 46))
            try await store.put(try lone.markersKey, SegmentMarkers.encoded([Self.adBreak]))
            let reader = ArchiveReader(store: store, now: { Self.t0 + 60_000 })
            let records = try await reader.records(channel: "match1", rendition: "720p", from: Self.t0 - 60_000, to: Self.t0 + 60_000)
            #expect(records.map(\.msn) == [41, 42, 43])
            #expect(records.allSatisfy { $0.markers.isEmpty })
            #expect(try await reader.lastMSN(channel: "match1") == 43)
        }
    }

    /// A markers' object that is not what the archive writes: one log line, and its segment is
    /// listed without markers, every other as written.
    @Test func unreadableMarkersAreLoggedAndTheSegmentStillPlays() async throws {
        var programme = Self.programme
        programme.msn = 43
        try await ArchiveReaderTests.withDisk { store in
            for msn in 41...43 {
                let segment = Self.segment(msn: msn, markers: msn == 43 ? [programme] : [])
                let record = SegmentRecord(segment)
                if msn == 42 { try await store.put(try record.markersKey, ByteBuffer(string: #"{"markers":[{"id":"x\"y"}]}"#)) }
                if msn == 43 { try await store.put(try record.markersKey, SegmentMarkers.encoded(segment.markers)) }
                try await store.put(try record.key, parts: segment.parts)
            }
            let logs = LogCapture()
            // The hour is still being written: its listing is read again two seconds on, its
            // markers' objects are not.
            let clock = NIOLockedValueBox(Self.t0 + 60_000)
            let reader = ArchiveReader(store: store, now: { clock.withLockedValue { $0 } }, logger: logs.logger())
            for _ in 0..<3 {
                let records = try await reader.records(channel: "match1", rendition: "720p", from: Self.t0 - 60_000, to: Self.t0 + 60_000)
                #expect(records.map(\.markers) == [[], [], [programme]])
                clock.withLockedValue { $0 += 2_000 }
            }
            #expect(logs.count == 1, "\(logs.text)")
            #expect(logs.text.contains("0000000042.markers.json"))
        }
    }

    @Test func markersReadBackAsWritten() throws {
        let encoded = SegmentMarkers.encoded([Self.adBreak, Self.programme])
        #expect(try SegmentMarkers.decode(encoded, msn: 42) == [Self.adBreak, Self.programme])
        // A later segment holds the break for its return only.
        #expect(try SegmentMarkers.decode(SegmentMarkers.encoded([Self.adBreak]), msn: 44) == [Self.adBreak])
    }

    /// What is wrong with a stored marker.
    enum Flaw: String, CaseIterable, Sendable {
        case idWithAQuote, emptyID, idOver64Bytes, unknownKind, cueNotBase64, emptyCue, cueOver4096Bytes, returnCueNotBase64
        case negativeDuration, durationOverADay, zeroTimescale, dateAfterYear9999, markerOfALaterSegment, earlierMarkerWithoutReturn

        func apply(to entry: inout SegmentMarkers.Entry) {
            switch self {
            case .idWithAQuote: entry.id = "x\"y"
            case .emptyID: entry.id = ""
            case .idOver64Bytes: entry.id = String(repeating: "a", count: 65)
            case .unknownKind: entry.kind = "commercial"
            case .cueNotBase64: entry.cue = "not base64!"
            case .emptyCue: entry.cue = ""
            case .cueOver4096Bytes: entry.cue = Data(repeating: 0xFC, count: 4_097).base64EncodedString()
            case .returnCueNotBase64: entry.returnCue = "%%"
            case .negativeDuration: entry.durationTicks = -1
            case .durationOverADay: (entry.durationTicks, entry.durationTimescale) = (86_401, 1)
            case .zeroTimescale: entry.startTimescale = 0
            case .dateAfterYear9999: entry.programDateTime = .max
            case .markerOfALaterSegment: entry.msn = 43
            case .earlierMarkerWithoutReturn: (entry.msn, entry.returnCue) = (41, nil)
            }
        }
    }

    /// Every field is checked as the API and the ingest check a marker.
    @Test(arguments: Flaw.allCases)
    func aMarkerThatIsNotOursIsRefused(_ flaw: Flaw) throws {
        var object = try JSONDecoder().decode(SegmentMarkers.Object.self, from: Data(SegmentMarkers.encoded([Self.adBreak]).readableBytesView))
        #expect(try SegmentMarkers.decode(ByteBuffer(bytes: try JSONEncoder().encode(object)), msn: 42) == [Self.adBreak])
        flaw.apply(to: &object.markers[0])
        let buffer = ByteBuffer(bytes: try JSONEncoder().encode(object))
        #expect(throws: ArchiveError.self, "\(flaw)") { try SegmentMarkers.decode(buffer, msn: 42) }
    }

    @Test func anObjectOverItsBoundsIsRefused() throws {
        let many = (0...ArchiveLimits.maximumMarkersPerSegment).map { index in
            var marker = Self.programme
            marker.id = "p\(index)"
            return marker
        }
        var object = try JSONDecoder().decode(SegmentMarkers.Object.self, from: Data(SegmentMarkers.encoded(many).readableBytesView))
        #expect(object.markers.count == ArchiveLimits.maximumMarkersPerSegment, "the writer keeps the first ones")
        object.markers.append(object.markers[0])
        #expect(throws: ArchiveError.self) { try SegmentMarkers.decode(ByteBuffer(bytes: try JSONEncoder().encode(object)), msn: 42) }
        let huge = ByteBuffer(repeating: UInt8(ascii: " "), count: ArchiveLimits.maximumMarkersObjectSize + 1)
        #expect(throws: ArchiveError.self) { try SegmentMarkers.decode(huge, msn: 42) }
        #expect(throws: ArchiveError.self) { try SegmentMarkers.decode(ByteBuffer(string: "[]"), msn: 42) }
    }

    /// Retention deletes a segment's markers with it, and markers whose segment never came, so
    /// that an hour it empties is gone.
    @Test func retentionTakesTheMarkersWithTheirSegment() async throws {
        try await ArchiveReaderTests.withDisk { store in
            let old = Self.t0 - 6 * ArchiveReaderTests.hour
            for msn in 0..<3 {
                var segment = SegmentRecordTests.segment(msn: msn, pdt: old + Int64(msn) * 2_002)
                var marker = Self.adBreak
                marker.msn = 1
                segment.markers = msn == 1 ? [marker] : []
                let record = SegmentRecord(segment)
                if msn != 0 { try await store.put(try record.markersKey, SegmentMarkers.encoded([marker])) }
                // Segment 2's write never happened: its markers are alone.
                if msn != 2 { try await store.put(try record.key, parts: segment.parts) }
            }
            try await ArchiveReaderTests.put(store, rendition: "720p", msn: 3, at: old + 6_006)
            let outcome = try await ArchiveRetention(store: store).apply(
                channel: "match1", policy: RetentionPolicy(maximumAge: ArchiveReaderTests.hour), pinned: [], now: Self.t0)
            #expect(outcome.deletedSegments == 3)
            #expect(try await store.list(prefix: "match1/720p/").filter { !$0.key.value.contains("/init/") }.isEmpty)
            #expect(try await store.listDirectories(prefix: "match1/720p/").filter { $0 != "init" }.isEmpty)
        }
    }
}
