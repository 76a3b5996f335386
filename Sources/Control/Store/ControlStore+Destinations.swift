import FluentKit
import Foundation

extension ControlStore {
    /// Adds a restream destination to a channel. At most ``ControlLimits/destinationsPerChannel``.
    public func createDestination(
        channel: UUID, _ destination: NewChannelDestination, scope: Scope
    ) async throws(ControlError) -> ChannelDestination {
        try scope.requireWrite()
        let destination = try Validate.destination(destination)
        let created = try await transaction("create destination") { db in
            let channelRow = try await self.requireChannel(channel, scope: scope, on: db)
            let count = try await RestreamDestinationRow.query(on: db).filter(\.$channelID == channel).count()
            guard count < ControlLimits.destinationsPerChannel else {
                throw ControlError.conflict("the channel has \(ControlLimits.destinationsPerChannel) destinations already")
            }
            let row = try RestreamDestinationRow(
                id: UUID(), channel: channelRow, destination: destination, configured: false, createdAt: .nowMilliseconds())
            try await row.create(on: db)
            return try row.record()
        }
        logger.info("restream destination created", metadata: ["channel": "\(channel)", "destination": "\(created.id)"])
        rightsChanged.increment()
        return created
    }

    /// A channel's destinations, oldest first.
    public func destinations(
        channel: UUID, scope: Scope, page: Page = .first
    ) async throws(ControlError) -> PageResult<ChannelDestination> {
        _ = try await perform("list destinations") { try await requireChannel(channel, scope: scope, on: database) }
        let query = scoped(RestreamDestinationRow.query(on: database), scope).filter(\.$channelID == channel)
        return try await self.page(query, page, "list destinations") { try $0.record() }
    }

    /// The destination, or `nil` if it does not exist or belongs to another organisation.
    public func destination(id: UUID, scope: Scope) async throws(ControlError) -> ChannelDestination? {
        try await perform("get destination") {
            try await scoped(RestreamDestinationRow.query(on: database), scope).filter(\.$id == id).first().map { try $0.record() }
        }
    }

    /// Deletes a destination: its push stops within a sync pass.
    public func deleteDestination(id: UUID, scope: Scope) async throws(ControlError) {
        try scope.requireWrite()
        try await perform("delete destination") {
            guard let row = try await scoped(RestreamDestinationRow.query(on: database), scope).filter(\.$id == id).first() else {
                throw ControlError.notFound("destination")
            }
            try await row.delete(on: database)
        }
        logger.info("restream destination deleted", metadata: ["destination": "\(id)"])
        rightsChanged.increment()
    }

    /// Makes `destinations` the configured destinations of a channel the configuration declares:
    /// the configured ones it had are replaced (a push whose URL, key and rendition are unchanged
    /// goes on), those made through the API are left as they are.
    public func declareDestinations(channel: UUID, _ destinations: [NewChannelDestination]) async throws(ControlError) {
        var valid: [NewChannelDestination] = []
        for destination in destinations { valid.append(try Validate.destination(destination)) }
        guard valid.count <= ControlLimits.destinationsPerChannel else {
            throw .invalid(field: "restream", reason: "at most \(ControlLimits.destinationsPerChannel) destinations per channel")
        }
        try await transaction("declare destinations") { [valid] db in
            guard let channelRow = try await ChannelRow.find(channel, on: db) else { throw ControlError.notFound("channel") }
            let existing = try await RestreamDestinationRow.query(on: db)
                .filter(\.$channelID == channel).filter(\.$configured == true).all()
            var kept = Set<UUID>()
            for destination in valid {
                if let same = existing.first(where: {
                    $0.url == destination.url && $0.streamKey == destination.streamKey?.value && $0.rendition == destination.rendition
                        && !kept.contains($0.id ?? UUID())
                }), let id = same.id {
                    kept.insert(id)
                } else {
                    try await RestreamDestinationRow(
                        id: UUID(), channel: channelRow, destination: destination, configured: true, createdAt: .nowMilliseconds()
                    ).create(on: db)
                }
            }
            for row in existing where !kept.contains(row.id ?? UUID()) {
                try await row.delete(on: db)
            }
        }
        rightsChanged.increment()
    }

    /// Every destination with what pushing it needs, for the server's restreamer (no scope: the
    /// server pushes every organisation's channels). At most ``ControlLimits/destinationsPerSync``.
    public func destinationsToPush() async throws(ControlError) -> [DestinationPush] {
        try await perform("list destinations to push") {
            let rows = try await RestreamDestinationRow.query(on: database)
                .sort(\.$createdAt).sort(\.$id).limit(ControlLimits.destinationsPerSync).all()
            let channelIDs = Array(Set(rows.map(\.channelID)))
            let names = Dictionary(
                try await ChannelRow.query(on: database).filter(\.$id ~~ channelIDs).all().map { (try $0.requireID(), $0.name) }
            ) { first, _ in first }
            return try rows.compactMap { row -> DestinationPush? in
                guard let name = names[row.channelID] else { return nil }
                return DestinationPush(destination: try row.record(), channelName: name, streamKey: row.streamKey.map(Secret.init))
            }
        }
    }

    /// Records what the server's pushes report. A destination deleted meanwhile is skipped.
    public func recordDestinationStatus(_ statuses: [UUID: DestinationStatus]) async throws(ControlError) {
        guard !statuses.isEmpty else { return }
        try await perform("record destination status") {
            let rows = try await RestreamDestinationRow.query(on: database).filter(\.$id ~~ Array(statuses.keys)).all()
            for row in rows {
                guard let id = row.id, let status = statuses[id] else { continue }
                row.state = status.state.rawValue
                row.lastError = status.lastError.map { String($0.prefix(ControlLimits.destinationErrorLength)) }
                row.bytesSent = status.bytesSent
                row.droppedSamples = status.droppedSamples
                row.statusAt = status.updatedAt ?? .nowMilliseconds()
                try await row.update(on: database)
            }
        }
    }
}
