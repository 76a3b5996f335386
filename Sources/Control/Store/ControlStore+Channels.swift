import FluentKit
import Foundation

extension ControlStore {
    /// Creates a channel. Its name must be free across the whole server, ignoring case
    /// (`.conflict` otherwise).
    public func createChannel(
        organisation: UUID, _ channel: NewChannel, scope: Scope
    ) async throws(ControlError) -> Channel {
        guard scope.canSee(organisation: organisation) else { throw .notFound("organisation") }
        try scope.requireWrite()
        var settings = channel
        settings.name = try Validate.channelName(channel.name)
        settings.ladder = try Validate.ladder(channel.ladder)
        settings.archive = try Validate.archive(channel.archive)
        settings.encryption = try Validate.encryption(channel.encryption)
        settings.slate = try channel.slate.map { slate throws(ControlError) in try Validate.slate(slate) }
        let row = ChannelRow(id: UUID(), organisationID: organisation, settings: settings, createdAt: .nowMilliseconds())
        let name = settings.name
        try await transaction("create channel") { db in
            _ = try await self.requireOrganisation(organisation, scope: scope, on: db)
            let count = try await ChannelRow.query(on: db).filter(\.$organisationID == organisation).count()
            guard count < ControlLimits.channelsPerOrganisation else {
                throw ControlError.limitExceeded(what: "channels per organisation", limit: ControlLimits.channelsPerOrganisation)
            }
            try await Self.requireFreeChannelName(name, except: nil, on: db)
            try await row.create(on: db)
        }
        logger.info("channel created", metadata: ["organisation": "\(organisation)", "channel": "\(name)"])
        return try row.record()
    }

    /// Lists channels: of `organisation` (default: the caller's own), or of every organisation
    /// for the server admin when `organisation` is `nil`.
    public func channels(
        organisation: UUID? = nil, scope: Scope, page: Page = .first
    ) async throws(ControlError) -> PageResult<Channel> {
        let filter = try scope.listFilter(requested: organisation)
        let query = ChannelRow.query(on: database)
        if let filter { query.filter(\.$organisationID == filter) }
        return try await self.page(query, page, "list channels") { try $0.record() }
    }

    /// The channel, or `nil` if it does not exist or belongs to another organisation.
    public func channel(id: UUID, scope: Scope) async throws(ControlError) -> Channel? {
        try await perform("get channel") {
            try await scoped(ChannelRow.query(on: database), scope).filter(\.$id == id).first().map { try $0.record() }
        }
    }

    /// The channel published under `name` (exact, case-sensitive, as in a playback URL). No
    /// scope: playback and ingest are the server's own; the caller applies `visibility`.
    public func channel(named name: String) async throws(ControlError) -> Channel? {
        guard ControlLimits.channelNameLength.contains(name.utf8.count), name.utf8.allSatisfy(Validate.isChannelNameByte) else {
            return nil
        }
        return try await perform("get channel by name") {
            try await ChannelRow.query(on: database).filter(\.$name == name).first().map { try $0.record() }
        }
    }

    /// The channels of `ids` that exist, in no particular order. No scope: the server checks the
    /// channels it runs with it.
    public func channels(ids: [UUID]) async throws(ControlError) -> [Channel] {
        var channels: [Channel] = []
        for batch in ids.chunked(ControlLimits.lookupBatch) {
            let found = try await perform("get channels") {
                try await ChannelRow.query(on: database).filter(\.$id ~~ batch).all().map { try $0.record() }
            }
            channels += found
        }
        return channels
    }

    /// Changes a channel's settings. Renaming checks the new name is free (`.conflict`).
    public func updateChannel(
        id: UUID, _ update: ChannelUpdate, scope: Scope
    ) async throws(ControlError) -> Channel {
        try scope.requireWrite()
        let name = try update.name.map { name throws(ControlError) in try Validate.channelName(name) }
        let ladder = try update.ladder.map { ladder throws(ControlError) in try Validate.ladder(ladder) }
        let archive = try update.archive.map { archive throws(ControlError) in try Validate.archive(archive) }
        let visibility = update.visibility
        let encryption = try update.encryption.map { encryption throws(ControlError) in try Validate.encryption(encryption) }
        let slate = try update.slate.map { slate throws(ControlError) in try slate.map { slate throws(ControlError) in try Validate.slate(slate) } }
        defer { rightsChanged.increment() }
        return try await transaction("update channel") { db in
            guard let row = try await scoped(ChannelRow.query(on: db), scope).filter(\.$id == id).first() else {
                throw ControlError.notFound("channel")
            }
            if let name, name != row.name {
                try await Self.requireFreeChannelName(name, except: id, on: db)
                row.apply(name: name)
            }
            if let ladder { row.ladder = ladder }
            if let archive { row.apply(archive: archive) }
            if let visibility { row.visibility = visibility.rawValue }
            if let encryption { row.apply(encryption: encryption) }
            if let p2p = update.p2p { row.p2p = p2p }
            if let slate { row.apply(slate: slate) }
            try await row.update(on: db)
            return try row.record()
        }
    }

    /// Deletes a channel with its stream keys, events, recordings and clips.
    public func deleteChannel(id: UUID, scope: Scope) async throws(ControlError) {
        try scope.requireWrite()
        try await transaction("delete channel") { db in
            guard let row = try await scoped(ChannelRow.query(on: db), scope).filter(\.$id == id).first() else {
                throw ControlError.notFound("channel")
            }
            try await StreamKeyRow.query(on: db).filter(\.$channelID == id).delete()
            try await ClipRow.query(on: db).filter(\.$channelID == id).delete()
            try await RecordingRow.query(on: db).filter(\.$channelID == id).delete()
            try await EventRow.query(on: db).filter(\.$channelID == id).delete()
            try await row.delete(on: db)
        }
        logger.info("channel deleted", metadata: ["channel": "\(id)"])
        rightsChanged.increment()
    }

    /// Throws `.notFound("channel")` unless the channel exists and the scope sees it.
    func requireChannel(_ id: UUID, scope: Scope, on db: any Database) async throws -> ChannelRow {
        guard let row = try await scoped(ChannelRow.query(on: db), scope).filter(\.$id == id).first() else {
            throw ControlError.notFound("channel")
        }
        return row
    }

    /// Throws `.conflict` if another channel has `name`, ignoring case. The unique index on
    /// `name_folded` backs this up against a concurrent insert.
    static func requireFreeChannelName(_ name: String, except id: UUID?, on db: any Database) async throws {
        let query = ChannelRow.query(on: db).filter(\.$nameFolded == ChannelRow.fold(name))
        if let id { query.filter(\.$id != id) }
        if try await query.count() > 0 {
            throw ControlError.conflict("channel name \(name) is taken")
        }
    }
}
