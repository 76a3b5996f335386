import Control
import Foundation
import NIOConcurrencyHelpers

/// What the server's slate player follows: each channel's schedule (file playout), slate, and the
/// slate key it publishes with, as ``PlayoutSync`` last read them from the control plane.
public final class PlayoutBoard: Sendable {
    public struct Entry: Sendable, Hashable {
        /// Empty when it has none.
        public let schedule: ChannelSchedule
        public let slate: ChannelSlate?
        /// The channel's slate key (secret): the player publishes with it.
        public let streamKey: String

        public init(schedule: ChannelSchedule, slate: ChannelSlate?, streamKey: String) {
            self.schedule = schedule
            self.slate = slate
            self.streamKey = streamKey
        }
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    public init() {}

    /// The channels with a schedule or a slate, by name.
    public var current: [String: Entry] { entries.withLockedValue { $0 } }

    func replace(_ new: [String: Entry]) {
        entries.withLockedValue { $0 = new }
    }
}
