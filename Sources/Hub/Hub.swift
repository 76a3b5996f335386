import NIOConcurrencyHelpers

/// The registry of live channels, by public name.
///
/// It holds its channels weakly: a channel lives while something uses it (its packager and
/// transcoder, a publisher, a reader), and a channel that is gone (deleted, or renamed) is
/// forgotten, so a server with channels coming and going does not grow without bound.
public final class Hub: Sendable {
    private let state = NIOLockedValueBox(State())

    private struct State {
        var channels: [String: WeakChannel] = [:]
        /// Entries at which the next insertion first drops the forgotten ones: twice the entries
        /// alive at the last sweep, so sweeping costs O(1) per insertion.
        var sweepAt = Hub.initialSweepAt
    }

    private struct WeakChannel {
        weak var channel: HubChannel?
    }

    /// Entries kept before the first sweep.
    public static let initialSweepAt = 64

    /// When each channel leaves its primary input for its backup, and comes back.
    public let inputSwitch: InputSwitch.Configuration

    public init(inputSwitch: InputSwitch.Configuration = InputSwitch.Configuration()) {
        self.inputSwitch = inputSwitch
    }

    /// Returns the channel, creating it on first use (or after it was forgotten).
    public func channel(named name: String) -> HubChannel {
        state.withLockedValue { state in
            if let existing = state.channels[name]?.channel { return existing }
            if state.channels.count >= state.sweepAt {
                state.channels = state.channels.filter { $0.value.channel != nil }
                state.sweepAt = max(Self.initialSweepAt, 2 * state.channels.count)
            }
            let channel = HubChannel(name: name, inputs: inputSwitch)
            state.channels[name] = WeakChannel(channel: channel)
            return channel
        }
    }

    public func existingChannel(named name: String) -> HubChannel? {
        state.withLockedValue { $0.channels[name]?.channel }
    }

    /// The track set a channel's transcoder publishes its renditions on. Channel names cannot hold
    /// a '/', so this never collides with a channel of that name.
    public func renditionsChannel(of channel: String) -> HubChannel {
        self.channel(named: "\(channel)/renditions")
    }

    public var allChannels: [HubChannel] {
        state.withLockedValue { $0.channels.values.compactMap(\.channel) }.sorted { $0.name < $1.name }
    }

    /// Entries held, forgotten ones not yet swept included (for tests and metrics).
    public var entryCount: Int { state.withLockedValue { $0.channels.count } }
}
