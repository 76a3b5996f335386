import FluentKit
import Foundation

extension ControlStore {
    /// A channel's schedule, in start order (empty when it has none).
    public func schedule(channel: UUID, scope: Scope) async throws(ControlError) -> ChannelSchedule {
        try await perform("get schedule") {
            _ = try await requireChannel(channel, scope: scope, on: database)
            let rows = try await ScheduleItemRow.query(on: database).filter(\.$channelID == channel).sort(\.$position).all()
            return ChannelSchedule(items: rows.map { $0.record() })
        }
    }

    /// Replaces a channel's schedule with `items` (``Validate/schedule(_:)``; the caller checks
    /// the files are in the media directory). The server's playout follows within a sync pass.
    public func replaceSchedule(
        channel: UUID, _ items: [ScheduleItem], scope: Scope
    ) async throws(ControlError) -> ChannelSchedule {
        try scope.requireWrite()
        let items = try Validate.schedule(items)
        try await transaction("replace schedule") { [items] db in
            let channelRow = try await self.requireChannel(channel, scope: scope, on: db)
            try await ScheduleItemRow.query(on: db).filter(\.$channelID == channel).delete()
            for (position, item) in items.enumerated() {
                try await ScheduleItemRow(channel: channelRow, position: position, item: item).create(on: db)
            }
        }
        logger.info("channel schedule replaced", metadata: ["channel": "\(channel)", "items": "\(items.count)"])
        rightsChanged.increment()
        return ChannelSchedule(items: items)
    }

    /// Clears a channel's schedule: its playout stops within a sync pass.
    public func clearSchedule(channel: UUID, scope: Scope) async throws(ControlError) {
        try scope.requireWrite()
        try await transaction("clear schedule") { db in
            _ = try await self.requireChannel(channel, scope: scope, on: db)
            try await ScheduleItemRow.query(on: db).filter(\.$channelID == channel).delete()
        }
        logger.info("channel schedule cleared", metadata: ["channel": "\(channel)"])
        rightsChanged.increment()
    }

    /// Every channel with a schedule or a slate, for the server's slate player: at most
    /// ``ControlLimits/schedulesPerSync`` of each.
    public func channelsToPlay() async throws(ControlError) -> [PlayoutChannel] {
        try await perform("list channels to play") {
            let scheduled = try await ScheduleItemRow.query(on: database).unique()
                .limit(ControlLimits.schedulesPerSync).all(\.$channelID)
            let slated = try await ChannelRow.query(on: database).filter(\.$slateSource != nil)
                .limit(ControlLimits.schedulesPerSync).all()
            let scheduledRows = scheduled.isEmpty ? [] : try await ChannelRow.query(on: database).filter(\.$id ~~ scheduled).all()
            let rows = scheduled.isEmpty ? [] : try await ScheduleItemRow.query(on: database).filter(\.$channelID ~~ scheduled).sort(\.$position).all()
            let items = Dictionary(grouping: rows, by: \.channelID)
            var seen = Set<UUID>()
            return try (slated + scheduledRows).compactMap { row -> PlayoutChannel? in
                let channel = try row.record()
                guard seen.insert(channel.id).inserted else { return nil }
                let schedule = ChannelSchedule(items: items[channel.id]?.map { $0.record() } ?? [])
                return PlayoutChannel(channelID: channel.id, channelName: channel.name, schedule: schedule, slate: channel.slate)
            }
        }
    }

    /// Makes `key` the one active slate key of a channel (``StreamKey/slateLabel``): the key the
    /// server's player publishes the channel's schedule or slate with. Idempotent.
    public func declareSlateKey(channel: UUID, _ key: String) async throws(ControlError) {
        guard ControlLimits.presentedStreamKeyLength.contains(key.utf8.count) else {
            throw .invalid(field: "slateStreamKey", reason: "must be \(ControlLimits.presentedStreamKeyLength) bytes")
        }
        try await transaction("declare slate key") { db in
            guard let row = try await ChannelRow.find(channel, on: db) else { throw ControlError.notFound("channel") }
            try await Self.declareKey(
                key, label: StreamKey.slateLabel, role: .slate, channel: row.name, id: channel, organisation: row.organisationID, on: db)
        }
    }
}
