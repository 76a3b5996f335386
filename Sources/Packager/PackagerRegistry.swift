import Hub
import NIOConcurrencyHelpers

/// The packagers of every channel, by public name. Delivery looks channels up here.
public final class PackagerRegistry: Sendable {
    private let packagers = NIOLockedValueBox([String: ChannelPackager]())

    public init() {}

    public func register(_ packager: ChannelPackager) {
        packagers.withLockedValue { $0[packager.name] = packager }
    }

    /// Removes a channel's packager: its playback URLs answer 404 from now on.
    public func unregister(named name: String) {
        _ = packagers.withLockedValue { $0.removeValue(forKey: name) }
    }

    public func packager(named name: String) -> ChannelPackager? {
        packagers.withLockedValue { $0[name] }
    }

    public var all: [ChannelPackager] {
        packagers.withLockedValue { Array($0.values) }.sorted { $0.name < $1.name }
    }
}
