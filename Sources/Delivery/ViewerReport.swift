import Foundation

/// One viewer quality report, as the web player sends it to `POST /player/beacon` about every
/// 10 s and when its page is hidden (issue 13, item 5):
///
///     {"channel":"talks","startupMs":412,"stalls":1,"stallMs":830,"latency":1.2,"bitrate":1200000}
///
/// `startupMs` (load to first frame) is in the first report after a load only; `stalls` and
/// `stallMs` count what happened since the previous report; `latency` (seconds behind the live
/// edge) is left out behind the live edge (DVR, replays); `bitrate` is the rendition playing, in
/// bit/s; `httpBytes` and `peerBytes` (a P2P player, issue 17) are the media bytes it got over
/// HTTP and from peers since the previous report. Every field is checked: a report that does not parse, has an unknown field or a value
/// out of range is refused whole.
struct ViewerReport: Sendable, Equatable {
    var channel: String
    var startupMilliseconds: Int?
    var stalls: Int
    var stallMilliseconds: Int
    var latency: Double?
    var bitrate: Int?
    var httpBytes = 0
    var peerBytes = 0

    /// Largest report body: the six fields above take about 120 bytes; 2 KiB leaves room and
    /// keeps a flood of reports cheap to refuse.
    static let maximumBytes = 2048
    /// A startup longer than 10 minutes is not a startup any more.
    static let startupRange = 0...600_000
    /// Stalls in one report: one every 100 ms of a 10 s report would be 100; a page hidden for a
    /// long while reports once, so room for an hour.
    static let stallRange = 0...36_000
    /// Stalled time in one report: at most the hour a report may span.
    static let stallMillisecondsRange = 0...3_600_000
    /// Seconds behind the live edge: up to a minute (beyond, the player is behind on purpose).
    static let latencyRange = 0.0...60.0
    /// Bit/s of a rendition: 1 Gbit/s is beyond any ladder.
    static let bitrateRange = 0...1_000_000_000
    /// Media bytes in one report: an hour (a hidden page) at 1 Gbit/s is 450 GB.
    static let bytesRange = 0...450_000_000_000

    enum Failure: Error, Equatable, CustomStringConvertible {
        case notJSON
        case unknownField(String)
        case missing(String)
        case invalid(String)

        var description: String {
            switch self {
            case .notJSON: "a report is a JSON object"
            case .unknownField(let name): "unknown field \(name)"
            case .missing(let name): "\(name) is missing"
            case .invalid(let name): "\(name) is not a number in its range (or, for channel, a channel name)"
            }
        }
    }

    /// The report as sent: every field optional here, checked in `init(json:)`. Whole numbers are
    /// read as numbers and checked to be whole after (a decoder's own failure for `1.5` would not
    /// say which field it was).
    private struct Fields: Decodable {
        var channel: String?
        var startupMs: Double?
        var stalls: Double?
        var stallMs: Double?
        var latency: Double?
        var bitrate: Double?
        var httpBytes: Double?
        var peerBytes: Double?

        static let names: Set<String> = ["channel", "startupMs", "stalls", "stallMs", "latency", "bitrate", "httpBytes", "peerBytes"]
    }

    /// Any JSON value, not looked at: for the names of an object's fields.
    private struct Anything: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    /// A report of a beacon's body.
    init(json bytes: some Collection<UInt8>) throws(Failure) {
        let data = Data(bytes)
        let names: Dictionary<String, Anything>.Keys
        do {
            names = try JSONDecoder().decode([String: Anything].self, from: data).keys
        } catch {
            throw .notJSON
        }
        if let unknown = names.sorted().first(where: { !Fields.names.contains($0) }) { throw .unknownField(unknown) }
        let fields: Fields
        do {
            fields = try JSONDecoder().decode(Fields.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            throw .invalid(context.codingPath.first?.stringValue ?? "report")
        } catch {
            throw .notJSON
        }
        guard let channel = fields.channel else { throw .missing("channel") }
        guard Self.isChannelName(channel) else { throw .invalid("channel") }
        self.channel = channel
        startupMilliseconds = try Self.checked(fields.startupMs, "startupMs", in: Self.startupRange)
        stalls = try Self.checked(fields.stalls, "stalls", in: Self.stallRange) ?? 0
        stallMilliseconds = try Self.checked(fields.stallMs, "stallMs", in: Self.stallMillisecondsRange) ?? 0
        bitrate = try Self.checked(fields.bitrate, "bitrate", in: Self.bitrateRange)
        httpBytes = try Self.checked(fields.httpBytes, "httpBytes", in: Self.bytesRange) ?? 0
        peerBytes = try Self.checked(fields.peerBytes, "peerBytes", in: Self.bytesRange) ?? 0
        if let latency = fields.latency {
            guard Self.latencyRange.contains(latency) else { throw .invalid("latency") }
            self.latency = latency
        }
    }

    private static func checked(_ value: Double?, _ name: String, in range: ClosedRange<Int>) throws(Failure) -> Int? {
        guard let value else { return nil }
        guard value.rounded() == value, value >= Double(range.lowerBound), value <= Double(range.upperBound) else { throw .invalid(name) }
        return Int(value)
    }

    init(
        channel: String, startupMilliseconds: Int? = nil, stalls: Int = 0, stallMilliseconds: Int = 0, latency: Double? = nil, bitrate: Int? = nil,
        httpBytes: Int = 0, peerBytes: Int = 0
    ) {
        self.channel = channel
        self.httpBytes = httpBytes
        self.peerBytes = peerBytes
        self.startupMilliseconds = startupMilliseconds
        self.stalls = stalls
        self.stallMilliseconds = stallMilliseconds
        self.latency = latency
        self.bitrate = bitrate
    }

    /// Letters, digits, `-` and `_`, up to 64: the channel names Antenne accepts (README).
    static func isChannelName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2D || $0 == 0x5F
        }
    }
}
