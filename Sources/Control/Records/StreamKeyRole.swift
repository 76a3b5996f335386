/// Which input of its channel a stream key publishes: the channel follows its primary, and its
/// backup while the primary is lost (an input pair, as in AWS MediaLive's input failover).
public enum StreamKeyRole: String, Sendable, Hashable, CaseIterable, Codable {
    case primary
    case backup
}
