import Delivery
import Events
import Foundation
import Transcoder

/// The JSON configuration file (`antenne serve --config FILE`). Every key is optional; flags
/// override the file, and the file overrides the defaults.
///
/// ```json
/// {
///   "host": "0.0.0.0", "httpPort": 8080, "rtmpPort": 1935, "srtPort": 9000, "srtLatency": 0.12, "dataDir": "./data",
///   "stunPort": 3478, "iceServers": ["stun:stun.example.net:3478"],
///   "httpsPort": 8443, "rtmpsPort": 1936, "tlsCert": "/etc/antenne/fullchain.pem", "tlsKey": "/etc/antenne/key.pem",
///   "segmentDuration": 2, "partDuration": 0.5, "window": 60, "inputLossTimeout": 1, "inputReturnAfter": 5,
///   "ladders": {
///     "tv": { "includeSource": true, "rungs": [ { "name": "720p", "width": 1280, "height": 720, "videoBitrate": "3M" } ] }
///   },
///   "channels": [
///     { "name": "main", "streamKey": "a-long-secret", "backupStreamKey": "the-backup-secret", "ladder": "conference",
///       "overlays": { "clock": true, "watermark": "/etc/antenne/logo.png" } },
///     { "name": "tv1", "streamKey": "another-secret", "ladder": "tv", "visibility": "token", "p2p": true,
///       "srtPassphrase": "a-passphrase-of-10-to-79", "srtLatency": 0.5, "slate": "card" },
///     { "name": "pitch", "streamKey": "a-third-secret", "srtPull": "srt://192.0.2.10:9001?latency=300" }
///   ],
///   "playbackKeys": ["2025-01:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"],
///   "admissionHook": { "url": "https://auth.example.com/publish", "timeout": 2, "secret": "whsec-…" }
/// }
/// ```
///
/// A channel's `visibility` is `public` (default) or `token` (playback URLs signed with one of
/// `playbackKeys`, `ID:SECRET`, oldest first).
///
/// A channel's `ladder` names a preset (`passthrough`, `conference`, `mobile`) or a ladder of the
/// file's `ladders`; `includeSource` on the channel overrides the ladder's.
struct ConfigFile: Decodable {
    var host: String?
    var httpPort: Int?
    var rtmpPort: Int?
    var httpsPort: Int?
    var rtmpsPort: Int?
    /// PEM certificate chain and private key of RTMPS and HTTPS.
    var tlsCert: String?
    var tlsKey: String?
    var srtPort: Int?
    /// P2P: the built-in STUN responder's UDP port (0: off) and the STUN/TURN URLs players use.
    var stunPort: Int?
    var iceServers: [String]?
    /// SRT receiver latency in seconds (`0.2`), for channels that set none.
    var srtLatency: SecondsValue?
    /// Seconds without video from a channel's primary input before its backup takes over (1), and
    /// of steady video from a primary that is back before it feeds the channel again (5).
    var inputLossTimeout: SecondsValue?
    var inputReturnAfter: SecondsValue?
    /// Seconds a channel plays its slate after its last live input left (600).
    var slateTimeout: SecondsValue?
    /// As `--media-dir`.
    var mediaDir: String?
    var dataDir: String?
    var databaseUrl: String?
    var adminToken: String?
    var segmentDuration: SecondsValue?
    var partDuration: SecondsValue?
    var window: SecondsValue?
    var ladders: [String: Ladder]?
    var channels: [ChannelEntry]?
    var playbackKeys: [String]?
    /// The secret content keys are derived from (hex or base64); secret.
    var contentKeySecret: String?
    var admissionHook: AdmissionHookEntry?
    /// Where archived channels keep their segments; setting it archives every channel of the file
    /// unless the channel says `"archive": false`.
    var archive: String?
    var s3Endpoint: String?
    var s3Addressing: String?
    /// As `--archive-retention` and `--archive-max-bytes`: `"14d"`, `"500G"`.
    var archiveRetention: String?
    var archiveMaxBytes: String?

    struct ChannelEntry: Decodable {
        var name: String
        var streamKey: String
        /// The key of the channel's backup input; secret.
        var backupStreamKey: String?
        /// What the channel plays while no encoder is live: `card`, or an image or video file.
        var slate: String?
        var ladder: String?
        var includeSource: Bool?
        var overlays: Overlays?
        var visibility: ChannelVisibility?
        var archive: Bool?
        /// SRT encryption (AES) passphrase, 10 to 79 characters; secret.
        var srtPassphrase: String?
        /// SRT receiver latency of this channel's publishers, in seconds.
        var srtLatency: SecondsValue?
        /// `srt://ADDRESS:PORT?streamid=…&passphrase=…&latency=MS`: the listening encoder the
        /// channel's primary input is pulled from (its passphrase is a secret).
        var srtPull: String?
        /// Peer-assisted delivery for this channel's players (off by default).
        var p2p: Bool?
        /// Restream destinations: `url`, `streamKey` (secret), `rendition`.
        var restream: [RestreamEntry]?
        /// HLS AES-128 encryption (off when absent).
        var encryption: EncryptionEntry?
    }

    struct AdmissionHookEntry: Decodable {
        var url: String
        var timeout: SecondsValue?
        var secret: String?
    }

    /// A configuration file is written by an operator, but still read with a bound: a few
    /// thousand channels fit in well under a megabyte.
    static let maximumSize = 4 * 1024 * 1024

    static func load(path: String) throws -> ConfigFile {
        let url = URL(fileURLWithPath: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        if let size = attributes[.size] as? Int, size > maximumSize {
            throw ConfigError("\(path) is larger than \(maximumSize / 1024 / 1024) MiB")
        }
        let data = try Data(contentsOf: url)
        do {
            return try JSONDecoder().decode(ConfigFile.self, from: data)
        } catch let error as DecodingError {
            throw ConfigError("\(path): \(Self.describe(error))")
        }
    }

    /// The ladder a channel names: one of the file's, or a preset.
    func ladder(named name: String) throws -> Ladder {
        if let custom = ladders?[name] { return custom }
        if let preset = LadderPreset(rawValue: name) { return preset.ladder }
        let known = LadderPreset.allCases.map(\.rawValue) + (ladders?.keys.sorted() ?? [])
        throw ConfigError("unknown ladder '\(name)'; known: \(known.joined(separator: ", "))")
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            return "\(path(c)): \(c.debugDescription)"
        case .keyNotFound(let key, let c):
            return "\(path(c)): missing key '\(key.stringValue)'"
        @unknown default:
            return "\(error)"
        }
    }
}

/// Seconds as a JSON number (`0.5`) or string (`"0.5"`), parsed without floating point.
struct SecondsValue: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.text = text
        } else {
            self.text = "\(try container.decode(Decimal.self))"
        }
    }
}

struct ConfigError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
