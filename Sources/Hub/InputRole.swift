/// Which of a channel's inputs a publisher feeds, in order of preference, as in an input pair of a
/// broadcast encoder (AWS MediaLive's automatic input failover): the channel follows its primary,
/// its backup while the primary is lost, and its slate (a card or a loop the server plays) while
/// neither is live.
public enum InputRole: String, Sendable, Hashable, CaseIterable, Codable {
    case primary
    case backup
    case slate

    /// A live input (an encoder), not the server's slate.
    public var isLive: Bool { self != .slate }
}
