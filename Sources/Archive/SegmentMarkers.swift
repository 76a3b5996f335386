import Containers
import Foundation
import MediaCore
import NIOCore

/// The markers of one archived segment (``SegmentRecord/markers``), kept next to it as
/// `{msn}.markers.json`: a JSON object whose `markers` are those the live window had on it,
/// field for field (times as ticks and a timescale, cues in base64), so that a playlist built
/// from the archive lists them as the live one did. Read back, every field is checked as the
/// API and the ingest check a marker, against ``ArchiveLimits``.
public enum SegmentMarkers {
    /// What a markers' object's name ends with, after the segment's zero-padded number.
    static let suffix = ".markers.json"

    /// One marker as stored.
    struct Entry: Codable, Hashable {
        var id: String
        var kind: String
        var msn: Int
        var startTicks: Int64
        var startTimescale: UInt32
        var programDateTime: Int64
        var durationTicks: Int64
        var durationTimescale: UInt32
        var eventID: UInt32
        var cue: String
        var returnCue: String?
    }

    struct Object: Codable, Hashable {
        var markers: [Entry]
    }

    /// The object kept for `markers` (at most ``ArchiveLimits/maximumMarkersPerSegment``: the
    /// caller keeps the first ones).
    public static func encoded(_ markers: [LiveMarker]) -> ByteBuffer {
        let object = Object(markers: markers.prefix(ArchiveLimits.maximumMarkersPerSegment).map { marker in
            Entry(
                id: marker.id, kind: marker.kind.rawValue, msn: marker.msn, startTicks: marker.start.ticks,
                startTimescale: marker.start.timescale, programDateTime: marker.programDateTime, durationTicks: marker.duration.ticks,
                durationTimescale: marker.duration.timescale, eventID: marker.eventID, cue: Data(marker.cue).base64EncodedString(),
                returnCue: marker.returnCue.map { Data($0).base64EncodedString() })
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return ByteBuffer(bytes: (try? encoder.encode(object)) ?? Data())
    }

    /// The markers an object holds for segment `msn`; throws ``ArchiveError/malformed(_:)``, saying
    /// what is wrong, for anything the archive does not write.
    public static func decode(_ buffer: ByteBuffer, msn: Int) throws(ArchiveError) -> [LiveMarker] {
        guard buffer.readableBytes <= ArchiveLimits.maximumMarkersObjectSize else {
            throw .malformed("markers of segment \(msn): over \(ArchiveLimits.maximumMarkersObjectSize) bytes")
        }
        guard let object = try? JSONDecoder().decode(Object.self, from: Data(buffer.readableBytesView)) else {
            throw .malformed("markers of segment \(msn): not a markers object")
        }
        guard object.markers.count <= ArchiveLimits.maximumMarkersPerSegment else {
            throw .malformed("markers of segment \(msn): more than \(ArchiveLimits.maximumMarkersPerSegment)")
        }
        var markers: [LiveMarker] = []
        markers.reserveCapacity(object.markers.count)
        for entry in object.markers {
            guard let marker = marker(entry, on: msn) else {
                throw .malformed("markers of segment \(msn): marker '\(entry.id.prefix(ChannelMarker.maximumIDLength))' is not valid")
            }
            markers.append(marker)
        }
        return markers
    }

    /// The marker `entry` describes, if it is one that could be on segment `msn` (one it starts,
    /// or an earlier one's return).
    static func marker(_ entry: Entry, on msn: Int) -> LiveMarker? {
        guard (1...ChannelMarker.maximumIDLength).contains(entry.id.utf8.count), entry.id.utf8.allSatisfy(isIDByte),
              let kind = ChannelMarker.Kind(rawValue: entry.kind), entry.msn >= 0, entry.msn <= msn,
              entry.startTimescale > 0, entry.durationTimescale > 0, entry.durationTicks >= 0,
              (0..<latestDate).contains(entry.programDateTime), let cue = cueBytes(entry.cue)
        else { return nil }
        var returnCue: [UInt8]?
        if let text = entry.returnCue {
            guard let bytes = cueBytes(text) else { return nil }
            returnCue = bytes
        }
        let duration = MediaTime(ticks: entry.durationTicks, timescale: entry.durationTimescale)
        guard duration <= ChannelMarker.maximumDuration, entry.msn == msn || returnCue != nil else { return nil }
        return LiveMarker(
            id: entry.id, kind: kind, msn: entry.msn, start: MediaTime(ticks: entry.startTicks, timescale: entry.startTimescale),
            programDateTime: entry.programDateTime, duration: duration, eventID: entry.eventID, cue: cue, returnCue: returnCue)
    }

    /// The end of year 9999, Unix epoch milliseconds: the last `START-DATE` a playlist can state
    /// (ISO 8601's four-digit year).
    static let latestDate: Int64 = 253_402_300_800_000

    /// A cue's bytes: base64 of 1 to ``SpliceInfoSection/maximumBytes`` bytes.
    private static func cueBytes(_ text: String) -> [UInt8]? {
        guard text.utf8.count <= (SpliceInfoSection.maximumBytes + 2) / 3 * 4, let data = Data(base64Encoded: text),
              (1...SpliceInfoSection.maximumBytes).contains(data.count) else { return nil }
        return Array(data)
    }

    /// What a marker's id is made of (the API's and the ingest's `A-Za-z0-9._:-`): it is written
    /// into a quoted attribute of every playlist that lists it.
    private static func isIDByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
