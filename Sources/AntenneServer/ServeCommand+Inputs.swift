import ArgumentParser
import Foundation
import Hub

extension ServeCommand {
    /// `--backup-key`, `--slate`, `--slate-timeout`, `--media-dir`, `--playout`, `--srt-pull`,
    /// `--input-loss-timeout`, `--input-return-after` and the file's keys.
    func applyInputs(file: ConfigFile, to config: inout ServerConfiguration) throws {
        for spec in backupKey {
            guard let colon = spec.firstIndex(of: ":") else {
                throw ValidationError("--backup-key wants NAME:KEY, got a value without ':'")
            }
            let name = String(spec[..<colon])
            guard let index = config.channels.firstIndex(where: { $0.name == name }) else {
                throw ValidationError("--backup-key names channel '\(name)', which no --channel or configuration entry declares")
            }
            let key = String(spec[spec.index(after: colon)...])
            guard ServerConfiguration.isValidStreamKey(key) else {
                throw ValidationError("the backup stream key of channel '\(name)' must be 8 to 256 printable characters without '/', '?', '#' or spaces")
            }
            let taken = config.channels.flatMap { [$0.streamKey, $0.backupStreamKey].compactMap { $0 } }
            guard !taken.contains(key) else { throw ValidationError("two channels or inputs share one stream key") }
            config.channels[index].backupStreamKey = key
        }
        if let text = slateTimeout ?? file.slateTimeout?.text {
            config.slateTimeout = try Self.duration(text, in: Slate.timeoutLimits, "--slate-timeout wants seconds from 1 to 86400, e.g. 600")
        }
        let fileSlates = (file.channels ?? []).compactMap { entry in entry.slate.map { "\(entry.name):\($0)" } }
        for (name, text) in try Self.pairs(fileSlates + slate, flag: "--slate", value: "SLATE", in: config) {
            config.channels[name].slate = try Self.slate(text, of: config.channels[name].name, timeout: config.slateTimeout)
        }
        config.mediaDirectory = mediaDir ?? file.mediaDir
        for (name, text) in try Self.pairs(playout, flag: "--playout", value: "FILE", in: config) {
            guard let directory = config.mediaDirectory else { throw ValidationError("--playout needs --media-dir") }
            let path = try MediaDirectory.resolve(text, in: directory)
            config.channels[name].slate = Slate(source: .video(path: path), streamKey: "playout-" + Self.randomKey(), timeout: nil)
        }
        try applySRTPulls(file: file, to: &config)
        if let text = inputLossTimeout ?? file.inputLossTimeout?.text {
            config.inputSwitch.lossTimeout = try Self.duration(
                text, in: InputSwitch.Configuration.lossTimeoutLimits, "--input-loss-timeout wants seconds from 0.1 to 60, e.g. 1")
        }
        if let text = inputReturnAfter ?? file.inputReturnAfter?.text {
            config.inputSwitch.returnAfter = try Self.duration(
                text, in: InputSwitch.Configuration.returnAfterLimits, "--input-return-after wants seconds from 0 to 3600, e.g. 5")
        }
    }

    /// `NAME:VALUE` options (or another separator): the index of the channel each names, and the value.
    static func pairs(
        _ specs: [String], flag: String, value: String, separator: Character = ":", in config: ServerConfiguration
    ) throws -> [(Int, String)] {
        try specs.map { spec in
            guard let colon = spec.firstIndex(of: separator) else {
                throw ValidationError("\(flag) wants NAME\(separator)\(value), got a value without '\(separator)'")
            }
            let name = String(spec[..<colon])
            guard let index = config.channels.firstIndex(where: { $0.name == name }) else {
                throw ValidationError("\(flag) names channel '\(name)', which no --channel or configuration entry declares")
            }
            return (index, String(spec[spec.index(after: colon)...]))
        }
    }

    /// A channel's slate, with a key of its own made now.
    static func slate(_ text: String, of channel: String, timeout: Duration) throws -> Slate {
        guard let source = Slate.source(text) else {
            throw ValidationError("the slate of channel '\(channel)' is card, or the absolute or ./ path of an image or a video file")
        }
        switch source {
        case .card: break
        case .image(let path), .video(let path):
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ValidationError("the slate of channel '\(channel)' cannot be read: \(path)")
            }
        }
        return Slate(source: source, streamKey: "slate-" + randomKey(), timeout: timeout)
    }

    private static func duration(_ text: String, in limits: ClosedRange<Duration>, _ message: String) throws -> Duration {
        // Seconds.parse takes no zero, which a return delay may be.
        let duration = text == "0" ? Duration.zero : Seconds.parse(text).map { Duration.milliseconds($0.ticks) }
        guard let duration, limits.contains(duration) else { throw ValidationError(message) }
        return duration
    }
}
