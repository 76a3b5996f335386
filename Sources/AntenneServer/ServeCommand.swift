import ArgumentParser
import Foundation
import Logging
import Packager

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run ingest, packaging and delivery.")

    @Option(name: .long, help: "Address to listen on.")
    var host = "0.0.0.0"

    @Option(name: .long, help: "HTTP port (playback, player page, health).")
    var httpPort = 8080

    @Option(name: .long, help: "RTMP ingest port.")
    var rtmpPort = 1935

    @Option(name: .long, help: "Data directory.")
    var dataDir = "./data"

    @Option(name: .long, help: ArgumentHelp("A channel and its secret stream key, NAME:KEY. Repeatable.", valueName: "NAME:KEY"))
    var channel: [String] = []

    @Option(name: .long, help: "Segment target duration in seconds.")
    var segmentDuration = "2"

    @Option(name: .long, help: "LL-HLS part target duration in seconds.")
    var partDuration = "0.5"

    @Option(name: .long, help: "Live window in seconds.")
    var window = "60"

    @Flag(name: .long, help: "Feed the first channel (the demo channel by default) with a generated test pattern.")
    var withTestSource = false

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "antenne")
        var config = try makeConfiguration()
        var generatedDemo = false
        if config.channels.isEmpty {
            config.channels = [ServerConfiguration.Channel(name: "demo", streamKey: Self.randomKey())]
            generatedDemo = true
        }
        try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        let server = try AntenneServer(configuration: config, logger: logger)
        announce(config, showKey: generatedDemo)
        try await server.run()
    }

    func makeConfiguration() throws -> ServerConfiguration {
        var config = ServerConfiguration()
        config.host = host
        config.httpPort = httpPort
        config.rtmpPort = rtmpPort
        config.dataDirectory = dataDir
        config.withTestSource = withTestSource
        for spec in channel {
            guard let colon = spec.firstIndex(of: ":") else {
                throw ValidationError("--channel wants NAME:KEY, got a value without ':'")
            }
            let name = String(spec[..<colon])
            let key = String(spec[spec.index(after: colon)...])
            guard ServerConfiguration.isValidChannelName(name) else {
                throw ValidationError("channel name '\(name)' must be 1 to 64 letters, digits, '-' or '_'")
            }
            guard ServerConfiguration.isValidStreamKey(key) else {
                throw ValidationError("the stream key of channel '\(name)' must be 8 to 256 printable characters without '/', '?', '#' or spaces")
            }
            guard !config.channels.contains(where: { $0.name == name }) else { throw ValidationError("channel '\(name)' is declared twice") }
            guard !config.channels.contains(where: { $0.streamKey == key }) else { throw ValidationError("two channels share one stream key") }
            config.channels.append(ServerConfiguration.Channel(name: name, streamKey: key))
        }
        guard let segment = Seconds.parse(segmentDuration), let part = Seconds.parse(partDuration), let window = Seconds.parse(window) else {
            throw ValidationError("durations are seconds with at most three decimals, e.g. 2 or 0.5")
        }
        guard part <= segment, segment < window else {
            throw ValidationError("need part duration <= segment duration < window")
        }
        config.packager = PackagerConfiguration(segmentTarget: segment, partTarget: part, window: window)
        return config
    }

    private func announce(_ config: ServerConfiguration, showKey: Bool) {
        let shown = host == "0.0.0.0" || host == "::" ? "localhost" : host
        var lines = ["Antenne is starting: HTTP on port \(config.httpPort), RTMP on port \(config.rtmpPort)."]
        for channel in config.channels {
            lines.append("  channel \(channel.name)")
            if showKey {
                lines.append("    publish: rtmp://\(shown):\(config.rtmpPort)/live/\(channel.streamKey)")
                lines.append("             (OBS: server rtmp://\(shown):\(config.rtmpPort)/live, stream key \(channel.streamKey))")
            }
            lines.append("    watch:   http://\(shown):\(config.httpPort)/watch/\(channel.name)")
            lines.append("    HLS:     http://\(shown):\(config.httpPort)/hls/\(channel.name)/master.m3u8")
        }
        if config.withTestSource, let first = config.channels.first {
            lines.append("  the test source is publishing to \(first.name)")
        }
        print(lines.joined(separator: "\n"))
    }

    static func randomKey() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
