import Control

extension AntenneServer {
    /// Makes each declared channel's configured restream destinations the configuration's (a
    /// channel that lists none loses those it had from an earlier configuration).
    func declareDestinations(of declared: [Control.Channel], into store: ControlStore) async throws {
        for channel in declared {
            let entry = configuration.channels.first { $0.name == channel.name }
            try await store.declareDestinations(channel: channel.id, entry?.restream ?? [])
        }
    }
}
