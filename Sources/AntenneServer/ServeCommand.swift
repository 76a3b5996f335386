import Archive
import ArgumentParser
import Delivery
import Events
import Foundation
import Logging
import Packager
import Transcoder

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run ingest, packaging and delivery.")

    @Option(name: .long, help: ArgumentHelp("A JSON configuration file (see the README). Flags override it.", valueName: "FILE"))
    var config: String?

    @Option(name: .long, help: "Address to listen on (default 0.0.0.0).")
    var host: String?

    @Option(name: .long, help: "HTTP port: playback, player page, health (default 8080).")
    var httpPort: Int?

    @Option(name: .long, help: "RTMP ingest port (default 1935).")
    var rtmpPort: Int?

    @Option(name: .long, help: "RTMPS ingest port, with --tls-cert (default 1936).")
    var rtmpsPort: Int?

    @Option(name: .long, help: "HTTPS port (HTTP/1.1 and HTTP/2), with --tls-cert (default 8443).")
    var httpsPort: Int?

    @Option(name: .long, help: ArgumentHelp(
        "PEM certificate chain for RTMPS and HTTPS (needs --tls-key); read again on SIGHUP. Without it neither starts.",
        valueName: "FILE"))
    var tlsCert: String?

    @Option(name: .long, help: ArgumentHelp("PEM private key of --tls-cert.", valueName: "FILE"))
    var tlsKey: String?

    @Option(name: .long, help: "SRT ingest port, UDP (default 9000).")
    var srtPort: Int?

    @Option(name: .long, help: "Data directory (default ./data).")
    var dataDir: String?

    @Option(name: .long, help: ArgumentHelp(
        "The control plane's database: postgres://USER:PASSWORD@HOST:PORT/DB (default: SQLite in the data directory).",
        valueName: "URL"))
    var databaseUrl: String?

    @Option(name: .long, help: ArgumentHelp(
        "Archive the channels given here and in the configuration file, to this directory or s3://BUCKET/PREFIX (default for the control plane's archived channels: archive in the data directory).",
        valueName: "DIR|S3URL"))
    var archive: String?

    @Option(name: .long, help: ArgumentHelp(
        "The S3-compatible endpoint of an s3:// archive, e.g. http://minio:9000 (default: AWS's). Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
        valueName: "URL"))
    var s3Endpoint: String?

    @Option(name: .long, help: "How the S3 archive's bucket is addressed: path (default) or virtual-host.")
    var s3Addressing: String?

    @Option(name: .long, help: ArgumentHelp(
        "Delete the configured channels' archived segments older than this: 36h, 14d, ... (default: keep them).", valueName: "AGE"))
    var archiveRetention: String?

    @Option(name: .long, help: ArgumentHelp(
        "Keep at most this much of each configured channel's archive, oldest deleted first: 500G, 2T, ... (default: no limit).",
        valueName: "SIZE"))
    var archiveMaxBytes: String?

    @Option(name: .long, help: ArgumentHelp("A channel and its secret stream key, NAME:KEY. Repeatable.", valueName: "NAME:KEY"))
    var channel: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "The key of a --channel's backup input, NAME:KEY: it may publish with the primary and feeds the channel while the primary is lost. Repeatable.",
        valueName: "NAME:KEY"))
    var backupKey: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "What a channel plays while no encoder is live, NAME:SLATE: card (its name and \"we'll be right back\"), or the path of an image or a video file (looped). Repeatable.",
        valueName: "NAME:SLATE"))
    var slate: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Pull a channel's primary input from an encoder that listens for SRT callers, NAME=srt://ADDRESS:PORT?streamid=…&passphrase=…&latency=MS; called again every second, then less often, while the server runs. Repeatable.",
        valueName: "NAME=URL"))
    var srtPull: [String] = []

    @Option(name: .long, help: "Seconds a channel plays its slate after its last encoder left, then it ends (default 600).")
    var slateTimeout: String?

    @Option(name: .long, help: ArgumentHelp("The directory file playout reads from; no path may leave it.", valueName: "DIR"))
    var mediaDir: String?

    @Option(name: .long, help: ArgumentHelp(
        "Feed a channel from a video file of --media-dir, looped in real time, NAME:FILE; an encoder that publishes takes over while it is live. Repeatable.",
        valueName: "NAME:FILE"))
    var playout: [String] = []

    @Option(name: .long, help: "Seconds without video from a channel's primary input before its backup takes over (default 1).")
    var inputLossTimeout: String?

    @Option(name: .long, help: "Seconds of steady video from a primary input that is back before it feeds its channel again (default 5).")
    var inputReturnAfter: String?

    @Option(name: .long, help: ArgumentHelp(
        "The ladder of the channels given with --channel: passthrough (default), conference or mobile, or a ladder of the configuration file.",
        valueName: "LADDER"))
    var ladder: String?

    @Flag(name: .long, help: "Also offer the encoder's stream untouched, as rendition 'source', next to the ladder.")
    var keepSource = false

    @Flag(name: .long, help: "Burn a UTC wall clock into the transcoded renditions, so viewers can see their delay.")
    var clockOverlay = false

    @Option(name: .long, help: ArgumentHelp("Overlay this PNG on the transcoded renditions.", valueName: "PNG"))
    var watermark: String?

    @Option(name: .long, help: "Segment target duration in seconds (default 2).")
    var segmentDuration: String?

    @Option(name: .long, help: "LL-HLS part target duration in seconds, 0.1 to 2 (default 0.5; 0.2 for low latency).")
    var partDuration: String?

    @Option(name: .long, help: "Live window in seconds (default 60).")
    var window: String?

    @Flag(name: .long, help: "Feed the first channel (the demo channel by default) with a generated test pattern.")
    var withTestSource = false

    @Option(name: .long, help: ArgumentHelp("Playback of this channel needs a signed URL (see sign-url). Repeatable.", valueName: "NAME"))
    var tokenChannel: [String] = []

    @OptionGroup var playbackKeyOptions: PlaybackKeyOptions
    @OptionGroup var p2pOptions: P2POptions
    @OptionGroup var encryptionOptions: EncryptionOptions

    @Option(name: .long, help: ArgumentHelp(
        "Ask this URL before every publish (POST, JSON); a 2xx answer admits it. No answer in time refuses it. ANTENNE_ADMISSION_SECRET signs the requests.",
        valueName: "URL"))
    var admissionUrl: String?

    @Option(name: .long, help: "Seconds the admission hook has to answer (default 2).")
    var admissionTimeout: String?

    @Option(name: .long, help: ArgumentHelp(
        "On SIGTERM, keep serving publishers and viewers this many seconds after /readyz turns 503 and new publishes are refused (default 0, at most 600).",
        valueName: "SECONDS"))
    var drainGrace: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func run() async throws {
        let logger = ServerLogging.bootstrap(level: logLevel)
        AllocatorPolicy.apply(logger: logger)
        var config = try makeConfiguration()
        var generatedDemo = false
        if config.channels.isEmpty {
            var demo = ServerConfiguration.Channel(
                name: "demo", streamKey: Self.randomKey(), ladder: config.demoLadder, overlays: config.demoOverlays,
                visibility: config.demoVisibility)
            demo.archived = config.archiveLocation != nil
            config.channels = [demo]
            generatedDemo = true
        }
        try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        let server = try AntenneServer(configuration: config, logger: logger)
        announce(config, showKey: generatedDemo)
        try await server.run()
    }

    func makeConfiguration() throws -> ServerConfiguration {
        let file = try config.map(ConfigFile.load(path:)) ?? ConfigFile()
        var config = ServerConfiguration()
        config.host = host ?? file.host ?? config.host
        config.httpPort = httpPort ?? file.httpPort ?? config.httpPort
        config.rtmpPort = rtmpPort ?? file.rtmpPort ?? config.rtmpPort
        config.rtmpsPort = rtmpsPort ?? file.rtmpsPort ?? config.rtmpsPort
        config.httpsPort = httpsPort ?? file.httpsPort ?? config.httpsPort
        switch (tlsCert ?? file.tlsCert, tlsKey ?? file.tlsKey) {
        case (let certificate?, let key?): config.tls = .init(certificate: certificate, key: key)
        case (nil, nil): config.tls = nil
        case (_?, nil): throw ValidationError("--tls-cert needs --tls-key (the certificate's private key)")
        case (nil, _?): throw ValidationError("--tls-key needs --tls-cert (the certificate chain)")
        }
        try applySRT(file: file, to: &config)
        config.dataDirectory = dataDir ?? file.dataDir ?? config.dataDirectory
        config.databaseURL = databaseUrl ?? file.databaseUrl
        config.adminToken = ProcessInfo.processInfo.environment["ANTENNE_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 } ?? file.adminToken
        config.withTestSource = withTestSource
        config.archiveLocation = archive ?? file.archive
        config.s3Endpoint = s3Endpoint ?? file.s3Endpoint
        if let addressing = s3Addressing ?? file.s3Addressing {
            guard let parsed = S3Configuration.Addressing(rawValue: addressing) else {
                throw ValidationError("--s3-addressing is path or virtual-host")
            }
            config.s3Addressing = parsed
        }
        if let text = archiveRetention ?? file.archiveRetention {
            guard let milliseconds = RetentionOptions.milliseconds(text) else {
                throw ValidationError("--archive-retention wants an age from 1h to 3650d, such as 36h or 14d")
            }
            config.archiveRetention.maximumAge = milliseconds
        }
        if let text = archiveMaxBytes ?? file.archiveMaxBytes {
            guard let bytes = RetentionOptions.bytes(text) else {
                throw ValidationError("--archive-max-bytes wants a size from 1G to 1024T, such as 500G")
            }
            config.archiveRetention.maximumBytes = bytes
        }
        for entry in file.channels ?? [] {
            var ladder = try file.ladder(named: entry.ladder ?? LadderPreset.passthrough.rawValue)
            if let includeSource = entry.includeSource { ladder.includeSource = includeSource }
            var channel = ServerConfiguration.Channel(name: entry.name, streamKey: entry.streamKey, ladder: ladder, overlays: entry.overlays ?? Overlays(),
                                                      visibility: entry.visibility ?? .public)
            channel.archived = entry.archive ?? (config.archiveLocation != nil)
            channel.srt = try Self.srtOptions(entry)
            channel.p2p = entry.p2p ?? false
            channel.backupStreamKey = entry.backupStreamKey
            channel.restream = entry.restream?.map(\.destination) ?? []
            channel.encryption = try entry.encryption?.encryption(channel: entry.name)
            try add(channel, to: &config)
        }
        var ladder = try file.ladder(named: self.ladder ?? LadderPreset.passthrough.rawValue)
        if keepSource { ladder.includeSource = true }
        let overlays = Overlays(clock: clockOverlay, watermark: watermark)
        for spec in channel {
            guard let colon = spec.firstIndex(of: ":") else {
                throw ValidationError("--channel wants NAME:KEY, got a value without ':'")
            }
            let name = String(spec[..<colon])
            let key = String(spec[spec.index(after: colon)...])
            var channel = ServerConfiguration.Channel(name: name, streamKey: key, ladder: ladder, overlays: overlays)
            channel.archived = config.archiveLocation != nil
            try add(channel, to: &config)
        }
        try applyInputs(file: file, to: &config)
        // The generated demo channel, if no channel is declared, takes the ladder flags too.
        config.demoLadder = ladder
        config.demoOverlays = overlays
        try applyPlayback(file: file, to: &config)
        try p2pOptions.apply(file: file, to: &config)
        try encryptionOptions.apply(file: file, to: &config)
        if let url = admissionUrl ?? file.admissionHook?.url {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw ValidationError("the admission hook must be an http:// or https:// URL")
            }
            let timeoutText = admissionTimeout ?? file.admissionHook?.timeout?.text ?? "2"
            guard let timeout = Seconds.parse(timeoutText) else {
                throw ValidationError("--admission-timeout wants seconds, e.g. 2 or 0.5")
            }
            let secret = ProcessInfo.processInfo.environment["ANTENNE_ADMISSION_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
                ?? file.admissionHook?.secret
            config.admissionHook = AdmissionHookConfiguration(url: url, timeout: .milliseconds(timeout.ticks), secret: secret)
        }
        if let text = drainGrace {
            guard let grace = Seconds.parse(text).map({ Duration.milliseconds($0.ticks) }), grace <= ServerConfiguration.maximumDrainGrace else {
                throw ValidationError("--drain-grace wants seconds from 0.001 to \(ServerConfiguration.maximumDrainGrace.components.seconds), e.g. 30")
            }
            config.drainGrace = grace
        }
        let segmentText = segmentDuration ?? file.segmentDuration?.text ?? "2"
        let partText = partDuration ?? file.partDuration?.text ?? "0.5"
        let windowText = window ?? file.window?.text ?? "60"
        guard let segment = Seconds.parse(segmentText), let part = Seconds.parse(partText), let window = Seconds.parse(windowText) else {
            throw ValidationError("durations are seconds with at most three decimals, e.g. 2 or 0.5")
        }
        guard PackagerConfiguration.partTargetLimits.contains(part) else {
            throw ValidationError("the part duration must be 0.1 to 2 seconds (0.2 for low latency)")
        }
        guard part <= segment, segment < window else {
            throw ValidationError("need part duration <= segment duration < window")
        }
        config.packager = PackagerConfiguration(segmentTarget: segment, partTarget: part, window: window)
        return config
    }

    private func add(_ channel: ServerConfiguration.Channel, to config: inout ServerConfiguration) throws {
        guard ServerConfiguration.isValidChannelName(channel.name) else {
            throw ValidationError("channel name '\(channel.name)' must be 1 to 64 letters, digits, '-' or '_'")
        }
        guard ServerConfiguration.isValidStreamKey(channel.streamKey) else {
            throw ValidationError("the stream key of channel '\(channel.name)' must be 8 to 256 printable characters without '/', '?', '#' or spaces")
        }
        do {
            try channel.ladder.validate()
            try channel.overlays.validate()
        } catch {
            throw ValidationError("channel '\(channel.name)': \(error)")
        }
        guard !config.channels.contains(where: { $0.name == channel.name }) else { throw ValidationError("channel '\(channel.name)' is declared twice") }
        if let backup = channel.backupStreamKey {
            guard ServerConfiguration.isValidStreamKey(backup) else {
                throw ValidationError("the backup stream key of channel '\(channel.name)' must be 8 to 256 printable characters without '/', '?', '#' or spaces")
            }
        }
        let keys = config.channels.flatMap { [$0.streamKey, $0.backupStreamKey].compactMap { $0 } }
        let own = [channel.streamKey, channel.backupStreamKey].compactMap { $0 }
        guard Set(own).count == own.count, !own.contains(where: keys.contains) else { throw ValidationError("two channels or inputs share one stream key") }
        config.channels.append(channel)
    }

    private func announce(_ config: ServerConfiguration, showKey: Bool) {
        let shown = config.host == "0.0.0.0" || config.host == "::" ? "localhost" : config.host
        var lines = ["Antenne is starting: HTTP on port \(config.httpPort), RTMP on port \(config.rtmpPort), SRT on port \(config.srtPort)"
            + (config.tls == nil ? "." : ", HTTPS on port \(config.httpsPort), RTMPS on port \(config.rtmpsPort).")]
        for channel in config.channels {
            lines.append("  channel \(channel.name)")
            if showKey {
                lines.append("    publish: rtmp://\(shown):\(config.rtmpPort)/live/\(channel.streamKey)")
                lines.append("             (OBS: server rtmp://\(shown):\(config.rtmpPort)/live, stream key \(channel.streamKey))")
                if config.tls != nil {
                    lines.append("    publish: rtmps://\(shown):\(config.rtmpsPort)/live/\(channel.streamKey)")
                }
            }
            if let pull = channel.srtPull {
                lines.append("    pulled:  \(pull) (SRT caller)")
            }
            lines.append("    watch:   http://\(shown):\(config.httpPort)/watch/\(channel.name)")
            lines.append("    HLS:     http://\(shown):\(config.httpPort)/hls/\(channel.name)/master.m3u8")
            if config.tls != nil {
                lines.append("    HLS:     https://\(shown):\(config.httpsPort)/hls/\(channel.name)/master.m3u8")
            }
            if channel.visibility == .token {
                lines.append("    (needs a token: antenne sign-url --channel \(channel.name) --expires-in 3600 --base http://\(shown):\(config.httpPort))")
            }
        }
        if config.withTestSource, let first = config.channels.first {
            lines.append("  the test source is publishing to \(first.name)")
        }
        // Written unbuffered, so it shows at once when stdout is a file or a pipe.
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    static func randomKey() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
