/// Which input of its channel a stream key publishes, in order of preference: the channel follows
/// its primary, its backup while the primary is lost (an input pair, as in AWS MediaLive's input
/// failover), and its slate while neither is live (the server's own slate player publishes with
/// a slate key; an encoder may too).
public enum StreamKeyRole: String, Sendable, Hashable, CaseIterable, Codable {
    case primary
    case backup
    case slate
}
