import Ingest

/// Publishing rights from the configured `--channel NAME:KEY` pairs.
struct StaticAuthorizer: PublishAuthorizer {
    let channelsByKey: [String: String]

    init(channels: [ServerConfiguration.Channel]) {
        var map: [String: String] = [:]
        for channel in channels { map[channel.streamKey] = channel.name }
        channelsByKey = map
    }

    func channelName(forStreamKey key: String) async -> String? {
        channelsByKey[key]
    }
}
