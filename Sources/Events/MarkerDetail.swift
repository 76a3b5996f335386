import Foundation

/// The `detail` of a `channel.marker` event: an ad break or a programme started, its segment cut.
///
/// ```json
/// {"durationSeconds":30,"id":"break-1","kind":"adBreak","mediaSequence":812,
///  "scte35":"/DAlAAAAAAAAAP/wFAUAAAABf+/+ANL3IH4AKTLgAAAAAAAAAPe/Ecw=","start":"2026-12-07T08:31:02.120Z"}
/// ```
///
/// `start` is its segment's EXT-X-PROGRAM-DATE-TIME; `scte35` its base64 splice_info_section.
public struct MarkerDetail: Encodable, Sendable, Hashable {
    var id: String
    /// `adBreak` or `programme`.
    var kind: String
    var start: String
    var durationSeconds: Double
    /// The media sequence number of the segment it starts.
    var mediaSequence: Int
    var scte35: String

    /// - Parameters:
    ///   - start: Unix epoch milliseconds.
    public init(id: String, kind: String, start: Int64, durationMilliseconds: Int64, mediaSequence: Int, scte35: [UInt8]) {
        self.id = id
        self.kind = kind
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        self.start = formatter.string(from: Date(timeIntervalSince1970: Double(start) / 1_000))
        self.durationSeconds = Double(durationMilliseconds) / 1_000
        self.mediaSequence = mediaSequence
        self.scte35 = Data(scte35).base64EncodedString()
    }
}
