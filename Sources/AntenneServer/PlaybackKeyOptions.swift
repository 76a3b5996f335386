import ArgumentParser
import Delivery
import Foundation

/// `--playback-key ID:SECRET`, shared by `serve` and `sign-url`.
struct PlaybackKeyOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A key for playback tokens, ID:SECRET, the secret 32 bytes or more in hex or base64. Repeatable: the last one signs, all verify. Default: $ANTENNE_PLAYBACK_KEY (keys separated by commas), else the configuration file.",
        valueName: "ID:SECRET"))
    var playbackKey: [String] = []

    static let environmentVariable = "ANTENNE_PLAYBACK_KEY"

    /// The flags if any, else the environment variable, else the configuration file's
    /// `playbackKeys`.
    func resolve(file: [String]?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PlaybackKeys {
        do {
            if !playbackKey.isEmpty { return try PlaybackKeys(specs: playbackKey) }
            if let value = environment[Self.environmentVariable], !value.isEmpty { return try PlaybackKeys(environmentValue: value) }
            return try PlaybackKeys(specs: file ?? [])
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
