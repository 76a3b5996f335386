/// Which of a channel's two inputs a publisher feeds, as in an input pair of a broadcast encoder
/// (AWS MediaLive's automatic input failover): the channel follows its primary, and its backup
/// while the primary is lost.
public enum InputRole: String, Sendable, Hashable, CaseIterable, Codable {
    case primary
    case backup

    /// The other input of the pair.
    public var other: InputRole { self == .primary ? .backup : .primary }
}
