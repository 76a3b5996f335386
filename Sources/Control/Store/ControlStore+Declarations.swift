import FluentKit
import Foundation

extension ControlStore {
    /// Makes the control plane hold the channels the configuration declares, and returns them in
    /// the order given. Idempotent, in one transaction:
    /// - the default organisation is created if it is missing;
    /// - a channel is created in it, or, if it exists already in that organisation, takes the
    ///   declared ladder, archive settings, visibility, P2P and slate (the configuration wins at each start);
    /// - the declared key is the channel's `configuration` key: a `configuration` key that no
    ///   longer matches (the key was changed in the configuration) is revoked; the declared backup
    ///   key, likewise, its `configuration-backup` key (revoked when none is declared). Keys made
    ///   through the API are left as they are.
    ///
    /// A declared name held by a channel of another organisation is a `.conflict`: the server
    /// does not take a channel away from its owner.
    public func declare(_ declared: [DeclaredChannel]) async throws(ControlError) -> [Channel] {
        guard !declared.isEmpty else { return [] }
        var valid: [DeclaredChannel] = []
        for channel in declared {
            var channel = channel
            channel.name = try Validate.channelName(channel.name)
            channel.ladder = try Validate.ladder(channel.ladder)
            channel.archive = try Validate.archive(channel.archive)
            channel.encryption = try Validate.encryption(channel.encryption)
            channel.slate = try channel.slate.map { slate throws(ControlError) in try Validate.slate(slate, configured: true) }
            let keys: [(field: String, key: String?)] = [
                ("streamKey", channel.streamKey), ("backupStreamKey", channel.backupStreamKey), ("slateStreamKey", channel.slateStreamKey),
            ]
            for (field, key) in keys {
                guard let key else { continue }
                guard ControlLimits.presentedStreamKeyLength.contains(key.utf8.count) else {
                    throw .invalid(field: field, reason: "must be \(ControlLimits.presentedStreamKeyLength) bytes")
                }
            }
            valid.append(channel)
        }
        let channels = try await transaction("declare channels") { [valid] db in
            if try await OrganisationRow.find(Organisation.defaultID, on: db) == nil {
                try await OrganisationRow(id: Organisation.defaultID, name: Organisation.defaultName, createdAt: .nowMilliseconds())
                    .create(on: db)
            }
            var channels: [Channel] = []
            for channel in valid {
                channels.append(try await Self.declare(channel, on: db))
            }
            return channels
        }
        logger.info("configured channels declared", metadata: ["channels": "\(channels.map(\.name).joined(separator: ","))"])
        return channels
    }

    private static func declare(_ declared: DeclaredChannel, on db: any Database) async throws -> Channel {
        let settings = NewChannel(
            name: declared.name, ladder: declared.ladder, archive: declared.archive, visibility: declared.visibility,
            encryption: declared.encryption, p2p: declared.p2p, slate: declared.slate)
        let row: ChannelRow
        if let existing = try await ChannelRow.query(on: db).filter(\.$nameFolded == ChannelRow.fold(declared.name)).first() {
            guard existing.organisationID == Organisation.defaultID, existing.name == declared.name else {
                throw ControlError.conflict(
                    "channel name \(declared.name) is declared in the configuration but taken by a channel of the control plane")
            }
            existing.ladder = settings.ladder
            existing.apply(archive: settings.archive)
            existing.visibility = settings.visibility.rawValue
            existing.apply(encryption: settings.encryption)
            existing.p2p = settings.p2p
            existing.apply(slate: settings.slate)
            try await existing.update(on: db)
            row = existing
        } else {
            row = ChannelRow(id: UUID(), organisationID: Organisation.defaultID, settings: settings, createdAt: .nowMilliseconds())
            try await row.create(on: db)
        }
        let channelID = try row.requireID()
        try await declareKey(declared.streamKey, label: StreamKey.configurationLabel, role: .primary, channel: declared.name, id: channelID, on: db)
        try await declareKey(
            declared.backupStreamKey, label: StreamKey.configurationBackupLabel, role: .backup, channel: declared.name, id: channelID, on: db)
        try await declareKey(declared.slateStreamKey, label: StreamKey.slateLabel, role: .slate, channel: declared.name, id: channelID, on: db)
        return try row.record()
    }

    /// Makes `key` the channel's one active key labelled `label` (none when nil): other keys of
    /// that label are revoked, and a key declared before comes back as it was.
    static func declareKey(
        _ key: String?, label: String, role: StreamKeyRole, channel name: String, id channelID: UUID,
        organisation: UUID = Organisation.defaultID, on db: any Database
    ) async throws {
        let hash = key.map(SecretFormat.hash)
        let configured = try await StreamKeyRow.query(on: db)
            .filter(\.$channelID == channelID)
            .filter(\.$label == label)
            .filter(\.$revokedAt == nil)
            .all()
        var current = false
        for row in configured {
            if let hash, SecretFormat.constantTimeEquals(row.keyHash, hash) {
                current = true
            } else {
                row.revokedAt = .nowMilliseconds()
                try await row.update(on: db)
            }
        }
        guard let hash, !current else { return }
        // Key hashes are unique: a key declared before (and revoked since) comes back as it was.
        if let known = try await StreamKeyRow.query(on: db).filter(\.$keyHash == hash).first() {
            guard known.channelID == channelID, known.label == label else {
                throw ControlError.conflict("the stream key of channel \(name) is another key already")
            }
            known.revokedAt = nil
            try await known.update(on: db)
        } else {
            try await StreamKeyRow(
                id: UUID(), channelID: channelID, organisationID: organisation, label: label,
                keyHash: hash, createdAt: .nowMilliseconds(), role: role
            ).create(on: db)
        }
    }
}
