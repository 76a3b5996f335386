/// Who may watch a channel.
///
/// - `public`: anyone with the URL (the default).
/// - `token`: every playback request (playlists, init segments, segments, parts, thumbnail) carries
///   a valid `?token=` signed with one of the server's playback keys (see `PlaybackToken`).
public enum ChannelVisibility: String, Sendable, Hashable, Codable, CaseIterable {
    case `public`
    case token
}
