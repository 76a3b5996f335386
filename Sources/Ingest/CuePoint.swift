import Containers
import Foundation
import MediaCore
import RTMP

/// An `onCuePoint` data message of a publish (FLV spec E.4.4.1), as encoders mark ad breaks and
/// programmes on RTMP: `{name, time, type: "event" | "navigation", parameters: {...}}`. The cue is
/// an SCTE-35 `splice_info_section` in base64, in `parameters.scte35` or `parameters.cue` (or at
/// the top level), as OBS plugins, Wirecast and Elemental send it; or, without one, a name that
/// says what it marks (`adBreak`, `spliceOut`, `cueOut`; `programme`, `programStart`) and
/// `parameters.duration` in seconds.
///
/// Its time is `time` (seconds of the stream's timeline, the RTMP timestamps' clock), else the
/// data message's own timestamp. An SCTE-35 `pts_time` is on the encoder's MPEG-TS clock, which
/// RTMP does not carry, so it is not used for the time.
public struct CuePoint: Sendable, Hashable {
    var name: String
    /// Milliseconds on the RTMP timeline.
    var time: Int64?
    var id: String?
    var splice: SpliceInfoSection?
    /// From `parameters.duration`, milliseconds.
    var duration: Int64?

    /// The longest name or id read: encoders' cue names are a few words.
    static let maximumNameBytes = 256
    /// The longest base64 cue read: the largest splice_info_section (``SpliceInfoSection/maximumBytes``)
    /// in base64, with padding.
    static let maximumBase64Bytes = (SpliceInfoSection.maximumBytes + 2) / 3 * 4
    /// RTMP's clock is 32 bits of milliseconds (RTMP spec §5.3.1.2): a later `time` is not one.
    static let maximumTimeSeconds = Double(UInt32.max) / 1_000

    init(_ value: AMF0Value) throws(IngestError) {
        let top = Self.dictionary(value)
        let parameters = top["parameters"].map(Self.dictionary) ?? [:]
        name = try Self.text(top["name"], "name") ?? ""
        id = try Self.text(parameters["id"], "parameters.id")
        if let seconds = top["time"]?.numberValue {
            guard seconds.isFinite, seconds >= 0, seconds <= Self.maximumTimeSeconds else {
                throw .invalidCuePoint("time \(seconds) is not a time of the stream")
            }
            time = Int64((seconds * 1_000).rounded())
        }
        if let seconds = parameters["duration"]?.numberValue {
            guard seconds.isFinite, seconds > 0, seconds <= Double(ChannelMarker.maximumDuration.ticks) else {
                throw .invalidCuePoint("duration \(seconds) is out of range")
            }
            duration = Int64((seconds * 1_000).rounded())
        }
        let encoded = parameters["scte35"] ?? parameters["cue"] ?? top["scte35"] ?? top["cue"]
        if let encoded {
            guard let text = encoded.stringValue else { throw .invalidCuePoint("the SCTE-35 cue is not a string") }
            guard text.utf8.count <= Self.maximumBase64Bytes else {
                throw .invalidCuePoint("the SCTE-35 cue is \(text.utf8.count) bytes of base64, more than \(Self.maximumBase64Bytes)")
            }
            guard let bytes = Data(base64Encoded: text) else { throw .invalidCuePoint("the SCTE-35 cue is not base64") }
            do {
                splice = try SpliceInfoSection(parsing: Array(bytes))
            } catch {
                throw .invalidCuePoint("SCTE-35: \(error)")
            }
        }
    }

    /// The marker this cue starts, or nil for a cue that starts none (a return to the network, a
    /// cancellation, a heartbeat, a cue of another kind). `timestamp` is the message's, in
    /// milliseconds on the unwrapped RTMP timeline.
    func marker(timestamp: Int64) throws(IngestError) -> ChannelMarker? {
        let start = ChannelMarker.Start.mediaTime(MediaTime(ticks: time ?? timestamp, timescale: 1_000))
        if let splice { return try Self.marker(splice, start: start, id: id, duration: duration) }
        let kind: ChannelMarker.Kind
        switch name.lowercased() {
        case "adbreak", "ad-break", "spliceout", "cueout", "cue-out", "scte35": kind = .adBreak
        case "programme", "program", "programstart", "programmestart": kind = .programme
        default: return nil
        }
        return try Self.marker(kind: kind, start: start, milliseconds: duration, id: id ?? "\(name)-\(time ?? timestamp)", eventID: nil)
    }

    /// A marker of `kind` at `start`, at most ``ChannelMarker/maximumDuration`` long, with `id`
    /// made fit for a playlist.
    static func marker(kind: ChannelMarker.Kind, start: ChannelMarker.Start, milliseconds: Int64?, id: String, eventID: UInt32?)
        throws(IngestError) -> ChannelMarker {
        guard let milliseconds, milliseconds > 0 else { throw .invalidCuePoint("cue \(id) has no duration") }
        let length = MediaTime(ticks: min(milliseconds, ChannelMarker.maximumDuration.milliseconds), timescale: 1_000)
        return ChannelMarker(id: sanitised(id), kind: kind, start: start, duration: length, eventID: eventID)
    }

    /// An id fit for a quoted-string (RFC 8216bis §4.2): letters, digits, `.`, `_`, `:`, `-`; any
    /// other character becomes `-`; at most ``ChannelMarker/maximumIDLength`` characters.
    static func sanitised(_ text: String) -> String {
        let allowed = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber || ".:_-".contains(c)) }
        let kept = String(text.prefix(ChannelMarker.maximumIDLength).map { allowed($0) ? $0 : "-" })
        return kept.isEmpty ? "cue" : kept
    }

    private static func dictionary(_ value: AMF0Value) -> [String: AMF0Value] {
        var result: [String: AMF0Value] = [:]
        for property in value.properties ?? [] where result[property.key] == nil { result[property.key] = property.value }
        return result
    }

    private static func text(_ value: AMF0Value?, _ field: String) throws(IngestError) -> String? {
        guard let value else { return nil }
        guard let text = value.stringValue else { throw .invalidCuePoint("\(field) is not a string") }
        guard text.utf8.count <= maximumNameBytes else {
            throw .invalidCuePoint("\(field) is \(text.utf8.count) bytes, more than \(maximumNameBytes)")
        }
        return text
    }
}
