import NIOConcurrencyHelpers

/// The registry of live channels, by public name.
public final class Hub: Sendable {
    private let channels = NIOLockedValueBox([String: HubChannel]())

    public init() {}

    /// Returns the channel, creating it on first use.
    public func channel(named name: String) -> HubChannel {
        channels.withLockedValue { channels in
            if let existing = channels[name] { return existing }
            let channel = HubChannel(name: name)
            channels[name] = channel
            return channel
        }
    }

    public func existingChannel(named name: String) -> HubChannel? {
        channels.withLockedValue { $0[name] }
    }

    /// The track set a channel's transcoder publishes its renditions on. Channel names cannot hold
    /// a '/', so this never collides with a channel of that name.
    public func renditionsChannel(of channel: String) -> HubChannel {
        self.channel(named: "\(channel)/renditions")
    }

    public var allChannels: [HubChannel] {
        channels.withLockedValue { Array($0.values) }.sorted { $0.name < $1.name }
    }
}
