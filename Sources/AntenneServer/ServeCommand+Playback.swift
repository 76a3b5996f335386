import ArgumentParser
import Delivery

extension ServeCommand {
    /// Playback keys and `--token-channel`: marks the named channels (declared by `--channel` or
    /// the file, or the generated `demo` channel when none is declared) as token channels.
    func applyPlayback(file: ConfigFile, to config: inout ServerConfiguration) throws {
        config.playbackKeys = try playbackKeyOptions.resolve(file: file.playbackKeys)
        for name in tokenChannel {
            if let index = config.channels.firstIndex(where: { $0.name == name }) {
                config.channels[index].visibility = .token
            } else if config.channels.isEmpty, name == "demo" {
                config.demoVisibility = .token
            } else {
                throw ValidationError("--token-channel \(name): no channel of that name is declared")
            }
        }
        let tokenChannels = config.channels.filter { $0.visibility == .token }.map(\.name)
            + (config.channels.isEmpty && config.demoVisibility == .token ? ["demo"] : [])
        if config.playbackKeys.isEmpty, !tokenChannels.isEmpty {
            throw ValidationError(ServerError.noPlaybackKey(channels: tokenChannels).description)
        }
    }
}
