import Hub

/// How a publisher reaches the hub. Every source asks through the same ``PublishAuthorizer`` and
/// publishes through the same ``Hub/HubPublisher``; only this tells them apart (for admission
/// hooks, logs and metrics).
public enum PublishSource: String, Sendable, Hashable, CaseIterable {
    case rtmp
    case rtmps
    case srt
    /// A file or generated stream played out by the server itself.
    case file
}

/// What a publisher presents when it asks to publish.
public struct PublishRequest: Sendable {
    /// The secret stream key. Never log it.
    public var streamKey: String
    /// The peer's address, for admission hooks and logs.
    public var remoteAddress: String?
    public var source: PublishSource

    public init(streamKey: String, remoteAddress: String? = nil, source: PublishSource) {
        self.streamKey = streamKey
        self.remoteAddress = remoteAddress
        self.source = source
    }
}

/// The right to publish that an accepted request was given: the channel it feeds, the input of
/// the channel (its primary or its backup), and the credential it used, so the right can be
/// withdrawn while the publish runs (see ``LivePublishes``).
public struct PublishGrant: Sendable, Hashable {
    /// The public channel name.
    public var channel: String
    /// A stable, non-secret name of the credential (a stream key's id), if the authorizer has one.
    public var credential: String?
    /// The channel's input this publish feeds: the hub follows the primary, and the backup while
    /// the primary is lost.
    public var role: InputRole

    public init(channel: String, credential: String? = nil, role: InputRole = .primary) {
        self.channel = channel
        self.credential = credential
        self.role = role
    }
}

/// Decides who may publish. The server wires the control plane's stream keys and the admission hook.
public protocol PublishAuthorizer: Sendable {
    /// The grant for a request, or nil to refuse it.
    func authorize(_ request: PublishRequest) async -> PublishGrant?
}
