import ArgumentParser
import Delivery
import Foundation

/// `antenne sign-url`: a signed playback URL for a token channel, with the server's keys.
struct SignURLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-url",
        abstract: "Print a signed playback URL of a token channel (the multivariant playlist, or the player page with --watch)."
    )

    @Option(name: .long, help: "The channel.")
    var channel: String

    @Option(name: .long, help: ArgumentHelp("How long the URL works, from now.", valueName: "SECONDS"))
    var expiresIn: Int64

    @Option(name: .long, help: ArgumentHelp("Bind the URL to this viewer session (opaque, at most 64 bytes).", valueName: "ID"))
    var session: String?

    @Option(name: .long, help: "The server as viewers reach it.")
    var base = "http://localhost:8080"

    @Flag(name: .long, help: "Print the player page URL (/watch/{channel}) rather than the HLS one.")
    var watch = false

    @Option(name: .long, help: ArgumentHelp("Read playbackKeys from this configuration file.", valueName: "FILE"))
    var config: String?

    @OptionGroup var playbackKeyOptions: PlaybackKeyOptions

    /// Ten years: longer is a permanent link in disguise.
    static let maximumExpiresIn: Int64 = 10 * 365 * 86_400

    func run() throws {
        print(try signedURL(now: Int64(Date().timeIntervalSince1970)))
    }

    /// - Parameter now: Unix seconds.
    func signedURL(now: Int64, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        guard (1...Self.maximumExpiresIn).contains(expiresIn) else {
            throw ValidationError("--expires-in must be 1 to \(Self.maximumExpiresIn) seconds")
        }
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw ValidationError("--base must be an http:// or https:// URL")
        }
        let file = try config.map(ConfigFile.load(path:))
        let keys = try playbackKeyOptions.resolve(file: file?.playbackKeys, environment: environment)
        let token: String
        do {
            token = try PlaybackSigner(keys: keys).sign(channel: channel, expiresAt: now + expiresIn, session: session)
        } catch {
            throw ValidationError("\(error)")
        }
        let root = base.hasSuffix("/") ? String(base.dropLast()) : base
        let path = watch ? "watch/\(channel)" : "hls/\(channel)/master.m3u8"
        return "\(root)/\(path)?\(PlaybackAccess.queryName)=\(token)"
    }
}
