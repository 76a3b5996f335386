import FluentKit
import SQLKit
import Foundation

extension ControlStore {
    /// Creates a stream key for a channel. The clear key (`sk_...`) is in the result and is never
    /// stored or shown again; only its SHA-256 is kept.
    /// - Parameter role: the channel's input it publishes: its primary, or its backup.
    public func createStreamKey(
        channel: UUID, label: String, role: StreamKeyRole = .primary, scope: Scope
    ) async throws(ControlError) -> CreatedStreamKey {
        try scope.requireWrite()
        let label = try Validate.label(label, field: "label", range: ControlLimits.labelLength)
        return try await transaction("create stream key") { db in
            let channelRow = try await self.requireChannel(channel, scope: scope, on: db)
            return try await Self.insertStreamKey(channel: channelRow, label: label, role: role, on: db)
        }
    }

    /// Lists a channel's keys, revoked ones included.
    public func streamKeys(
        channel: UUID, scope: Scope, page: Page = .first
    ) async throws(ControlError) -> PageResult<StreamKey> {
        _ = try await perform("list stream keys") { try await requireChannel(channel, scope: scope, on: database) }
        let query = scoped(StreamKeyRow.query(on: database), scope).filter(\.$channelID == channel)
        return try await self.page(query, page, "list stream keys") { try $0.record() }
    }

    /// The key's record, or `nil` if it does not exist or belongs to another organisation.
    public func streamKey(id: UUID, scope: Scope) async throws(ControlError) -> StreamKey? {
        try await perform("get stream key") {
            try await scoped(StreamKeyRow.query(on: database), scope).filter(\.$id == id).first().map { try $0.record() }
        }
    }

    /// Replaces a key: creates a new one on the same channel and input and revokes `id`, in one
    /// transaction (both happen or neither). `label` defaults to the old key's. Rotating a revoked key is a
    /// `.conflict`.
    public func rotateStreamKey(
        id: UUID, label: String? = nil, scope: Scope
    ) async throws(ControlError) -> CreatedStreamKey {
        try scope.requireWrite()
        let label = try label.map { label throws(ControlError) in
            try Validate.label(label, field: "label", range: ControlLimits.labelLength)
        }
        let created = try await transaction("rotate stream key") { db in
            guard let old = try await scoped(StreamKeyRow.query(on: db), scope).filter(\.$id == id).first() else {
                throw ControlError.notFound("stream key")
            }
            let channelRow = try await self.requireChannel(old.channelID, scope: scope, on: db)
            // Revoke only if still active, in one statement: of two concurrent rotations, the
            // second's UPDATE waits for the first to commit and then matches no row.
            guard try await Self.revokeIfActive(keyID: id, on: db) else {
                throw ControlError.conflict("stream key is already revoked")
            }
            return try await Self.insertStreamKey(channel: channelRow, label: label ?? old.label, role: try old.role(), on: db)
        }
        logger.info("stream key rotated", metadata: ["old": "\(id)", "new": "\(created.key.id)"])
        rightsChanged.increment()
        return created
    }

    /// Revokes a key: it never resolves again, so the next publish with it is refused. Revoking a
    /// revoked key changes nothing.
    public func revokeStreamKey(id: UUID, scope: Scope) async throws(ControlError) -> StreamKey {
        try scope.requireWrite()
        let key = try await perform("revoke stream key") {
            guard let row = try await scoped(StreamKeyRow.query(on: database), scope).filter(\.$id == id).first() else {
                throw ControlError.notFound("stream key")
            }
            if row.revokedAt == nil {
                row.revokedAt = .nowMilliseconds()
                try await row.update(on: database)
                logger.info("stream key revoked", metadata: ["key": "\(id)"])
            }
            return try row.record()
        }
        rightsChanged.increment()
        return key
    }

    /// The channel a presented stream key publishes to, or `nil` if the key is malformed,
    /// unknown or revoked. No scope: ingest is the server's own.
    public func channel(forStreamKey key: String) async throws(ControlError) -> Channel? {
        try await publishRight(forStreamKey: key)?.channel
    }

    /// The right a presented stream key gives, or `nil` if the key is malformed, unknown or
    /// revoked. No scope: ingest is the server's own. Looked up by the key's SHA-256.
    public func publishRight(forStreamKey key: String) async throws(ControlError) -> PublishRight? {
        guard ControlLimits.presentedStreamKeyLength.contains(key.utf8.count) else {
            return nil
        }
        let hash = SecretFormat.hash(key)
        return try await perform("resolve stream key") {
            guard let row = try await StreamKeyRow.query(on: database).filter(\.$keyHash == hash).first(),
                  SecretFormat.constantTimeEquals(row.keyHash, hash),
                  row.revokedAt == nil,
                  let channel = try await ChannelRow.find(row.channelID, on: database)
            else { return nil }
            return PublishRight(channel: try channel.record(), keyID: try row.requireID(), role: try row.role())
        }
    }

    /// Those of `ids` that name a stream key that still exists and is not revoked. No scope: the
    /// server checks its live publishes with it.
    public func activeStreamKeys(among ids: [UUID]) async throws(ControlError) -> Set<UUID> {
        var active: Set<UUID> = []
        for batch in ids.chunked(ControlLimits.lookupBatch) {
            let found = try await perform("check stream keys") {
                try await StreamKeyRow.query(on: database)
                    .filter(\.$id ~~ batch)
                    .filter(\.$revokedAt == nil)
                    .all()
                    .map { try $0.requireID() }
            }
            active.formUnion(found)
        }
        return active
    }

    /// `UPDATE ... SET revoked_at WHERE id AND revoked_at IS NULL RETURNING id`: whether this call
    /// revoked the key (false if it was revoked already, by anyone).
    static func revokeIfActive(keyID: UUID, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else {
            throw ControlError.database("rotate stream key: the driver does not speak SQL")
        }
        let rows = try await sql.update(StreamKeyRow.schema)
            .set("revoked_at", to: Date.nowMilliseconds())
            .where("id", .equal, keyID)
            .where("revoked_at", .is, SQLLiteral.null)
            .returning("id")
            .all()
        return rows.count == 1
    }

    static func insertStreamKey(
        channel: ChannelRow, label: String, role: StreamKeyRole, on db: any Database
    ) async throws -> CreatedStreamKey {
        let channelID = try channel.requireID()
        let active = try await StreamKeyRow.query(on: db)
            .filter(\.$channelID == channelID)
            .filter(\.$revokedAt == nil)
            .count()
        guard active < ControlLimits.streamKeysPerChannel else {
            throw ControlError.limitExceeded(what: "stream keys per channel", limit: ControlLimits.streamKeysPerChannel)
        }
        let secret = SecretFormat.make(prefix: SecretFormat.streamKeyPrefix, randomBytes: SecretFormat.streamKeyRandomBytes)
        let row = StreamKeyRow(
            id: UUID(), channelID: channelID, organisationID: channel.organisationID, label: label,
            keyHash: SecretFormat.hash(secret.value), createdAt: .nowMilliseconds(), role: role
        )
        try await row.create(on: db)
        return CreatedStreamKey(key: try row.record(), secret: secret)
    }
}
