/// What a publisher presents when it asks to publish.
public struct PublishRequest: Sendable {
    /// The secret stream key. Never log it.
    public var streamKey: String
    /// The peer's address, for admission hooks and logs.
    public var remoteAddress: String?

    public init(streamKey: String, remoteAddress: String? = nil) {
        self.streamKey = streamKey
        self.remoteAddress = remoteAddress
    }
}

/// The right to publish that an accepted request was given: the channel it feeds and the
/// credential it used, so the right can be withdrawn while the publish runs (see
/// ``LivePublishes``).
public struct PublishGrant: Sendable, Hashable {
    /// The public channel name.
    public var channel: String
    /// A stable, non-secret name of the credential (a stream key's id); nil for a key set in the
    /// configuration.
    public var credential: String?

    public init(channel: String, credential: String? = nil) {
        self.channel = channel
        self.credential = credential
    }
}

/// Decides who may publish. The server wires the configured channels and the control plane.
public protocol PublishAuthorizer: Sendable {
    /// The grant for a request, or nil to refuse it.
    func authorize(_ request: PublishRequest) async -> PublishGrant?
}
