import Archive
import Control
import Events
import Foundation
import Delivery
import Hub
import MediaCore
import Packager
import SRTIngest
import Transcoder

/// Everything `antenne serve` needs. Flags override the defaults (ARCHITECTURE.md, Contracts: CLI).
public struct ServerConfiguration: Sendable {
    public struct Channel: Sendable, Hashable {
        public var name: String
        /// Secret: never logged.
        public var streamKey: String
        /// The key of its backup input, if it has one. Secret: never logged.
        public var backupStreamKey: String?
        /// What it plays while no encoder is live, if anything.
        public var slate: Slate?
        /// The renditions offered: passthrough by default.
        public var ladder: Ladder
        public var overlays: Overlays
        /// `public`, or `token`: playback needs a URL signed with one of `playbackKeys`.
        public var visibility: ChannelVisibility
        /// Its segments are kept in the archive (``ServerConfiguration/archiveLocation``).
        public var archived = false
        /// SRT publishes to it: encryption passphrase (secret) and latency.
        public var srt = SRTChannelOptions()
        /// The listening encoder its primary input is pulled from (SRT caller mode), if any; its
        /// passphrase is a secret.
        public var srtPull: SRTPullURL?
        /// Peer-assisted delivery: players of it may fetch from each other (issue 17). Off by default.
        public var p2p = false
        /// Where it is restreamed to (declared into the control plane at start); keys are secrets.
        public var restream: [NewChannelDestination] = []
        /// HLS AES-128 encryption; nil: clear.
        public var encryption: ContentEncryption?

        public init(
            name: String, streamKey: String, ladder: Ladder = LadderPreset.passthrough.ladder, overlays: Overlays = Overlays(),
            visibility: ChannelVisibility = .public
        ) {
            self.name = name
            self.streamKey = streamKey
            self.ladder = ladder
            self.overlays = overlays
            self.visibility = visibility
        }
    }

    /// The PEM files of RTMPS and HTTPS (`--tls-cert`, `--tls-key`); read again on SIGHUP.
    public struct TLSFiles: Sendable, Hashable {
        public var certificate: String
        public var key: String

        public init(certificate: String, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    public var host = "0.0.0.0"
    public var httpPort = 8080
    public var rtmpPort = 1935
    /// RTMPS ingest and HTTPS playback (HTTP/1.1 and HTTP/2) run only with a certificate.
    public var rtmpsPort = 1936
    public var httpsPort = 8443
    public var tls: TLSFiles?
    /// A connection to RTMPS or HTTPS that has not completed its TLS handshake by then is closed.
    public var tlsHandshakeTimeout: Duration = .seconds(10)
    public var srtPort = 9000
    /// The built-in STUN responder's UDP port for P2P players; 0 is off.
    public var stunPort = 0
    /// STUN and TURN servers P2P players are told of.
    public var iceServers: [String] = []
    /// Receiver latency of SRT publishers whose channel sets none: libsrt's default.
    public var srtLatency: Duration = .milliseconds(120)
    public var dataDirectory = "./data"
    public var channels: [Channel] = []
    public var packager = PackagerConfiguration()
    /// A connection that has not completed the RTMP handshake by then is closed.
    public var rtmpHandshakeTimeout: Duration = .seconds(10)
    /// Feed the first channel from the built-in ffmpeg test pattern.
    public var withTestSource = false
    /// On SIGTERM (or SIGINT), how long the server goes on serving its publishers and viewers after
    /// `/readyz` has turned 503 and new publishes are refused, so that a load balancer moves
    /// viewers and encoders elsewhere first. Zero stops at once.
    public var drainGrace: Duration = .zero
    /// The longest drain grace: ten minutes, longer than any load balancer's health-check cycle.
    public static let maximumDrainGrace: Duration = .seconds(600)
    /// Ladder and overlays of the demo channel created when none is configured.
    public var demoLadder = LadderPreset.passthrough.ladder
    public var demoOverlays = Overlays()
    public var demoVisibility = ChannelVisibility.public
    /// Keys that sign and verify the playback tokens of `token` channels, oldest first; the newest
    /// signs. Secret: never logged.
    public var playbackKeys = PlaybackKeys()
    /// What content keys are derived from; secret, never logged.
    public var contentKeySecret: ContentKeySecret?
    /// The control plane's database: nil for SQLite in the data directory, or `postgres://…`.
    public var databaseURL: String?
    /// The server-admin API token (`ANTENNE_ADMIN_TOKEN` or the file's `adminToken`). Secret.
    public var adminToken: String?
    /// The FFmpeg that transcodes and renders thumbnails.
    public var ffmpegPath = "/usr/bin/ffmpeg"
    /// How webhook deliveries are sent and retried.
    public var webhooks = WebhookDeliveryConfiguration()
    /// Where archived channels keep their segments: a directory, or `s3://bucket/prefix`. Nil is
    /// `archive` in the data directory.
    public var archiveLocation: String?
    /// The S3-compatible endpoint of an `s3://` archive (default: AWS's, for the region), and how
    /// buckets are addressed there.
    public var s3Endpoint: String?
    public var s3Addressing = S3Configuration.Addressing.path
    /// The environment the S3 archive's credentials come from (`AWS_ACCESS_KEY_ID`, …): the
    /// process's.
    public var environment = ProcessInfo.processInfo.environment
    /// What the channels declared here keep of their archive: it becomes their archive settings in
    /// the control plane at each start. Everything, by default.
    public var archiveRetention = RetentionPolicy.keepEverything
    /// How often retention runs.
    public var retentionInterval: Duration = .seconds(60)
    /// How often the files of deleted clips are removed from the archive.
    public var clipSweepInterval: Duration = .seconds(600)
    /// Retention never deletes the newest this long of an archive: the live window and the DVR
    /// playlists right behind it.
    public var retentionProtects: Duration = .seconds(15 * 60)
    /// Asked before every publish, when set.
    public var admissionHook: AdmissionHookConfiguration?
    /// When a channel counts as unhealthy (the `channel.unhealthy` webhook).
    public var channelHealth = ChannelHealthMonitor.Configuration()
    /// When a channel leaves its primary input for its backup, and comes back.
    public var inputSwitch = InputSwitch.Configuration()
    /// A channel with a slate plays it this long after its last live input left, then ends.
    public var slateTimeout: Duration = .seconds(600)
    /// The directory file playout reads from; no file outside it is played.
    public var mediaDirectory: String?

    public init() {}

    /// Public channel names: letters, digits, `-` and `_`, 1 to 64 characters. They appear in URLs
    /// and file paths, so nothing else is accepted.
    public static let maximumChannelNameLength = 64
    /// Stream keys: printable ASCII without `/`, `?`, `#` or spaces, 8 to 256 characters.
    public static let streamKeyLength = 8...256

    public static func isValidChannelName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maximumChannelNameLength
            && name.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
            }
    }

    public static func isValidStreamKey(_ key: String) -> Bool {
        streamKeyLength.contains(key.utf8.count)
            && key.utf8.allSatisfy { c in c > 0x20 && c < 0x7F && c != 0x2F && c != 0x3F && c != 0x23 }
    }
}
