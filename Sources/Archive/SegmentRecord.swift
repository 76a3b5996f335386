import Crypto
import MediaCore
import NIOCore

/// The archive's index entry of one segment. It lives in the segment object's key, so writing the
/// segment writes its index entry in the same atomic step, and listing a rendition's hour reads
/// its index:
///
/// `{channel}/{rendition}/{yyyyMMdd}/{HH}/{msn}_{programDateTime}_{startDTS}_{duration}_{timescale}_{flags}_{init}.m4s`
///
/// `msn` is zero-padded to 10 digits so keys sort by it; the date and hour (UTC) are those of
/// `programDateTime` (Unix ms); `flags` is `n`, or `d` (discontinuity) and/or `g` (gap); `init` names
/// the init segment `{channel}/{rendition}/init/{init}.mp4`, the first 16 hex digits of its SHA-256.
///
/// The markers whose boundaries are on a segment (ad breaks, programmes) are kept next to it, in
/// the same hour, as `{msn}.markers.json` (``SegmentMarkers``), written before the segment: a
/// listing that holds the segment holds its markers' object too. Segments without markers (and
/// every segment archived before markers were) have none, and read as they always did.
public struct SegmentRecord: Sendable, Hashable, Comparable {
    public var channel: String
    public var rendition: String
    public var msn: Int
    public var programDateTime: Int64
    public var startDTS: Int64
    public var duration: Int64
    public var timescale: UInt32
    public var discontinuity: Bool
    public var gap: Bool
    public var initID: String
    /// Bytes of the segment, from the listing.
    public var size: Int64
    /// The markers whose boundaries are on it (``CompletedSegment/markers``): written with it, and
    /// read back by ``ArchiveReader`` from its markers' object; none from a listing alone.
    public var markers: [LiveMarker] = []

    /// Media sequence numbers fit 10 digits: 317 years of 1 s segments.
    static let msnDigits = 10

    public init(_ segment: CompletedSegment) {
        self.channel = segment.channel
        self.rendition = segment.rendition
        self.msn = segment.msn
        self.programDateTime = segment.programDateTime
        self.startDTS = segment.startDTS
        self.duration = segment.duration
        self.timescale = segment.timescale
        self.discontinuity = segment.discontinuity
        self.gap = segment.gap
        self.initID = Self.initID(of: segment.initSegment)
        self.size = Int64(segment.size)
        self.markers = segment.markers
    }

    /// Duration in milliseconds, rounded down.
    public var durationMilliseconds: Int64 { MediaTime(ticks: duration, timescale: timescale).milliseconds }

    public var key: ArchiveKey {
        get throws(ArchiveError) {
            let flags = (discontinuity ? "d" : "") + (gap ? "g" : "")
            let name = [paddedMSN, "\(programDateTime)", "\(startDTS)", "\(duration)", "\(timescale)", flags.isEmpty ? "n" : flags, initID]
                .joined(separator: "_") + ".m4s"
            return try ArchiveKey(components: [channel, rendition] + Self.hourPath(programDateTime) + [name])
        }
    }

    /// Where its markers are kept: `{channel}/{rendition}/{yyyyMMdd}/{HH}/{msn}.markers.json`,
    /// next to it.
    public var markersKey: ArchiveKey {
        get throws(ArchiveError) {
            try ArchiveKey(components: [channel, rendition] + Self.hourPath(programDateTime) + [paddedMSN + SegmentMarkers.suffix])
        }
    }

    /// The segment number whose markers a listed object holds, or nil if it is not a markers' object.
    public static func markersMSN(of object: ArchiveObject) -> Int? {
        let components = object.key.components
        guard components.count == 5, components[4].hasSuffix(SegmentMarkers.suffix) else { return nil }
        let digits = components[4].dropLast(SegmentMarkers.suffix.count)
        guard digits.count == Self.msnDigits, digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int(digits)
    }

    private var paddedMSN: String {
        String(repeating: "0", count: max(0, Self.msnDigits - String(msn).count)) + String(msn)
    }

    public var initKey: ArchiveKey {
        get throws(ArchiveError) { try Self.initKey(channel: channel, rendition: rendition, id: initID) }
    }

    public static func initKey(channel: String, rendition: String, id: String) throws(ArchiveError) -> ArchiveKey {
        try ArchiveKey(components: [channel, rendition, "init", id + ".mp4"])
    }

    /// The ``RenditionDescriptor`` stored next to the init segment.
    public static func descriptorKey(channel: String, rendition: String, id: String) throws(ArchiveError) -> ArchiveKey {
        try ArchiveKey(components: [channel, rendition, "init", id + ".json"])
    }

    /// The record a listed object's key holds, or nil if the key is not a segment's.
    public init?(_ object: ArchiveObject) {
        let components = object.key.components
        guard components.count == 5, components[4].hasSuffix(".m4s") else { return nil }
        let fields = components[4].dropLast(4).split(separator: "_", omittingEmptySubsequences: false)
        guard fields.count == 7, fields[0].count == Self.msnDigits,
              let msn = Int(fields[0]), let pdt = Int64(fields[1]), let start = Int64(fields[2]),
              let duration = Int64(fields[3]), duration >= 0, let timescale = UInt32(fields[4]), timescale > 0,
              ["n", "d", "g", "dg"].contains(fields[5]), fields[6].count == 16
        else { return nil }
        self.channel = String(components[0])
        self.rendition = String(components[1])
        self.msn = msn
        self.programDateTime = pdt
        self.startDTS = start
        self.duration = duration
        self.timescale = timescale
        self.discontinuity = fields[5].contains("d")
        self.gap = fields[5].contains("g")
        self.initID = String(fields[6])
        self.size = object.size
    }

    public static func < (lhs: SegmentRecord, rhs: SegmentRecord) -> Bool { lhs.msn < rhs.msn }

    static func initID(of initSegment: ByteBuffer) -> String {
        var hasher = SHA256()
        initSegment.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        let digest = hasher.finalize()
        return digest.prefix(8).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// `[yyyyMMdd, HH]` of a Unix time in milliseconds, UTC.
    public static func hourPath(_ unixMilliseconds: Int64) -> [String] {
        let seconds = unixMilliseconds >= 0 ? unixMilliseconds / 1000 : (unixMilliseconds - 999) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let hour = (seconds - days * 86_400) / 3_600
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return ["\(year)\(two(month))\(two(day))", two(hour)]
    }

    /// The Unix time (ms) an hour directory (`yyyyMMdd`, `HH`) begins at, or nil if the names are
    /// not a date and an hour.
    public static func startOfHour(day: String, hour: String) -> Int64? {
        guard day.count == 8, hour.count == 2, let date = Int64(day), let h = Int64(hour), (0..<24).contains(h) else { return nil }
        let (year, month, dayOfMonth) = (date / 10_000, date / 100 % 100, date % 100)
        guard (1...12).contains(month), (1...31).contains(dayOfMonth) else { return nil }
        return (daysSinceEpoch(year: year, month: month, day: dayOfMonth) * 86_400 + h * 3_600) * 1000
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
