import FluentKit
import Foundation

extension ControlStore {
    /// Creates an API token for an organisation. Its secret (`ant_...`) is in the result and is
    /// never stored or shown again; only its SHA-256 is kept.
    public func createToken(
        organisation: UUID, name: String, role: Role, scope: Scope
    ) async throws(ControlError) -> CreatedAPIToken {
        guard scope.canSee(organisation: organisation) else { throw .notFound("organisation") }
        try scope.requireWrite()
        let name = try Validate.label(name, field: "name", range: ControlLimits.labelLength)
        let secret = SecretFormat.make(prefix: SecretFormat.apiTokenPrefix, randomBytes: SecretFormat.apiTokenRandomBytes)
        let row = APITokenRow(
            id: UUID(), organisationID: organisation, role: role, name: name,
            secretHash: SecretFormat.hash(secret.value), createdAt: .nowMilliseconds()
        )
        try await transaction("create token") { db in
            _ = try await self.requireOrganisation(organisation, scope: scope, on: db)
            let active = try await APITokenRow.query(on: db)
                .filter(\.$organisationID == organisation)
                .filter(\.$revokedAt == nil)
                .count()
            guard active < ControlLimits.tokensPerOrganisation else {
                throw ControlError.limitExceeded(what: "tokens per organisation", limit: ControlLimits.tokensPerOrganisation)
            }
            try await row.create(on: db)
        }
        logger.info("API token created", metadata: ["organisation": "\(organisation)", "token": "\(row.id!)"])
        return CreatedAPIToken(token: try row.record(), secret: secret)
    }

    /// Lists an organisation's tokens, revoked ones included.
    public func tokens(
        organisation: UUID? = nil, scope: Scope, page: Page = .first
    ) async throws(ControlError) -> PageResult<APIToken> {
        let filter = try scope.listFilter(requested: organisation)
        let query = APITokenRow.query(on: database)
        if let filter { query.filter(\.$organisationID == filter) }
        return try await self.page(query, page, "list tokens") { try $0.record() }
    }

    /// The token, or `nil` if it does not exist or belongs to another organisation.
    public func token(id: UUID, scope: Scope) async throws(ControlError) -> APIToken? {
        try await perform("get token") {
            try await scoped(APITokenRow.query(on: database), scope).filter(\.$id == id).first().map { try $0.record() }
        }
    }

    /// Revokes a token: it never authenticates again. Revoking a revoked token changes nothing.
    public func revokeToken(id: UUID, scope: Scope) async throws(ControlError) -> APIToken {
        try scope.requireWrite()
        return try await perform("revoke token") {
            guard let row = try await scoped(APITokenRow.query(on: database), scope).filter(\.$id == id).first() else {
                throw ControlError.notFound("token")
            }
            if row.revokedAt == nil {
                row.revokedAt = .nowMilliseconds()
                try await row.update(on: database)
                logger.info("API token revoked", metadata: ["token": "\(id)"])
            }
            return try row.record()
        }
    }

    /// Resolves a presented token secret (an `Authorization: Bearer` value) to its identity, or
    /// `nil` if it is malformed, unknown or revoked. Records `lastUsedAt`, at most once per
    /// ``ControlLimits/tokenLastUsedResolutionSeconds``.
    ///
    /// The lookup is by the SHA-256 of the presented value, so the database never compares the
    /// secret itself; the stored hash is then compared again in constant time.
    public func authenticate(secret: String, now: Date = Date()) async throws(ControlError) -> TokenIdentity? {
        guard secret.hasPrefix(SecretFormat.apiTokenPrefix), secret.utf8.count <= SecretFormat.maximumPresentedLength else {
            return nil
        }
        let hash = SecretFormat.hash(secret)
        return try await perform("authenticate token") {
            guard let row = try await APITokenRow.query(on: database).filter(\.$secretHash == hash).first(),
                  SecretFormat.constantTimeEquals(row.secretHash, hash),
                  row.revokedAt == nil
            else { return nil }
            if row.lastUsedAt.map({ now.timeIntervalSince($0) >= ControlLimits.tokenLastUsedResolutionSeconds }) ?? true {
                row.lastUsedAt = now.millisecondRounded
                try await row.update(on: database)
            }
            return TokenIdentity(
                tokenID: try row.requireID(), organisationID: row.organisationID,
                role: try row.decodedRole(), name: row.name
            )
        }
    }
}

/// A row type with an owning organisation, so queries can be confined to a scope.
protocol OrganisationOwned: Model {
    static var organisationField: KeyPath<Self, FieldProperty<Self, UUID>> { get }
}

extension APITokenRow: OrganisationOwned { static var organisationField: KeyPath<APITokenRow, FieldProperty<APITokenRow, UUID>> { \.$organisationID } }
extension ChannelRow: OrganisationOwned { static var organisationField: KeyPath<ChannelRow, FieldProperty<ChannelRow, UUID>> { \.$organisationID } }
extension StreamKeyRow: OrganisationOwned { static var organisationField: KeyPath<StreamKeyRow, FieldProperty<StreamKeyRow, UUID>> { \.$organisationID } }
extension ScheduleItemRow: OrganisationOwned { static var organisationField: KeyPath<ScheduleItemRow, FieldProperty<ScheduleItemRow, UUID>> { \.$organisationID } }
extension EventRow: OrganisationOwned { static var organisationField: KeyPath<EventRow, FieldProperty<EventRow, UUID>> { \.$organisationID } }
extension WebhookRow: OrganisationOwned { static var organisationField: KeyPath<WebhookRow, FieldProperty<WebhookRow, UUID>> { \.$organisationID } }
extension RestreamDestinationRow: OrganisationOwned {
    static var organisationField: KeyPath<RestreamDestinationRow, FieldProperty<RestreamDestinationRow, UUID>> { \.$organisationID }
}
extension RecordingRow: OrganisationOwned { static var organisationField: KeyPath<RecordingRow, FieldProperty<RecordingRow, UUID>> { \.$organisationID } }
extension ClipRow: OrganisationOwned { static var organisationField: KeyPath<ClipRow, FieldProperty<ClipRow, UUID>> { \.$organisationID } }
extension WebhookDeliveryRow: OrganisationOwned {
    static var organisationField: KeyPath<WebhookDeliveryRow, FieldProperty<WebhookDeliveryRow, UUID>> { \.$organisationID }
}

/// Confines `query` to the rows `scope` may see.
func scoped<Row: OrganisationOwned>(_ query: QueryBuilder<Row>, _ scope: Scope) -> QueryBuilder<Row> {
    if let own = scope.organisationID {
        query.filter(Row.organisationField == own)
    }
    return query
}
