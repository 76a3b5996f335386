extension PlaybackAccess {
    /// Whether a viewer with `token` (the `token` query value, if any) may watch `channel` now
    /// (Unix seconds): the same decision as for the channel's playlists, for what serves viewers
    /// beside them (the P2P tracker and its digests).
    public func admits(channel: String, token: String?, now: Int64) -> Bool {
        if case .granted = decide(channel: channel, token: token, now: now) { return true }
        return false
    }
}
