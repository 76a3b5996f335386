import Tracker

extension RunningServer {
    /// The P2P tracker of the playback listener: on for the channels the configuration turns it on
    /// for, with the same playback access as their playlists.
    static func tracker(server: AntenneServer) -> P2PTracker {
        let configuration = server.configuration
        let channels = Set(configuration.channels.filter(\.p2p).map(\.name))
        return P2PTracker(
            configuration: TrackerConfiguration(
                isEnabled: { channels.contains($0) },
                ice: .init(servers: configuration.iceServers, stunPort: configuration.stunPort == 0 ? nil : configuration.stunPort)),
            access: server.playbackAccess, packagers: server.packagers)
    }
}
