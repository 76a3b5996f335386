import Tracker

extension RunningServer {
    /// The P2P tracker of the playback listeners: on for the running channels whose control-plane
    /// resource has `p2p` (the configuration's `--p2p` channels are declared so; an API change
    /// reaches the runtime through ``ControlPlaneSync``), with the same playback access as their
    /// playlists.
    static func tracker(server: AntenneServer) -> P2PTracker {
        let configuration = server.configuration
        return P2PTracker(
            configuration: TrackerConfiguration(
                isEnabled: { [runtime = server.runtime] in runtime.isP2PEnabled($0) },
                ice: .init(servers: configuration.iceServers, stunPort: configuration.stunPort == 0 ? nil : configuration.stunPort)),
            access: server.playbackAccess, packagers: server.packagers)
    }
}
