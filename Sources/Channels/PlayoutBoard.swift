import Control
import Foundation
import NIOConcurrencyHelpers

/// What the server's slate player (file playout) follows: each scheduled channel's schedule and
/// the slate key it publishes with, as ``PlayoutSync`` last read them from the control plane.
public final class PlayoutBoard: Sendable {
    public struct Entry: Sendable, Hashable {
        public let schedule: ChannelSchedule
        /// The channel's slate key (secret): the player publishes the schedule's files with it.
        public let streamKey: String

        public init(schedule: ChannelSchedule, streamKey: String) {
            self.schedule = schedule
            self.streamKey = streamKey
        }
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    public init() {}

    /// The scheduled channels, by name.
    public var current: [String: Entry] { entries.withLockedValue { $0 } }

    func replace(_ new: [String: Entry]) {
        entries.withLockedValue { $0 = new }
    }
}
