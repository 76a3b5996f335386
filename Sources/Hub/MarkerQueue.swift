import MediaCore
import NIOConcurrencyHelpers

/// The markers posted on a channel (by the control API or its encoder) that its packager has not
/// taken yet. Bounded: a channel whose packager does not take them refuses more.
public final class MarkerQueue: Sendable {
    private let markers = NIOLockedValueBox([ChannelMarker]())

    /// Markers waiting for the packager at most: it takes them with every batch of media (many
    /// times a second), so a handful is all a live channel ever has; 16 covers a burst of cues.
    public static let capacity = 16

    public init() {}

    /// Queues a marker; false when ``capacity`` are already waiting.
    public func post(_ marker: ChannelMarker) -> Bool {
        markers.withLockedValue { markers in
            guard markers.count < Self.capacity else { return false }
            markers.append(marker)
            return true
        }
    }

    /// Takes every marker waiting, oldest first.
    public func take() -> [ChannelMarker] {
        markers.withLockedValue { markers in
            defer { markers.removeAll(keepingCapacity: true) }
            return markers
        }
    }
}
