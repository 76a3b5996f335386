import FluentKit
import Foundation

extension ControlStore {
    /// Creates an organisation. Server admin only.
    public func createOrganisation(name: String, scope: Scope) async throws(ControlError) -> Organisation {
        try scope.requireServerAdmin("creating an organisation")
        let name = try Validate.label(name, field: "name", range: ControlLimits.organisationNameLength)
        let row = OrganisationRow(id: UUID(), name: name, createdAt: .nowMilliseconds())
        try await perform("create organisation") { try await row.create(on: database) }
        logger.info("organisation created", metadata: ["organisation": "\(row.id!)"])
        return try row.record()
    }

    /// Lists organisations: all of them for the server admin, the caller's own otherwise.
    public func organisations(scope: Scope, page: Page = .first) async throws(ControlError) -> PageResult<Organisation> {
        let query = OrganisationRow.query(on: database)
        if let own = scope.organisationID {
            query.filter(\.$id == own)
        }
        return try await self.page(query, page, "list organisations") { try $0.record() }
    }

    /// The organisation, or `nil` if it does not exist or is not the caller's.
    public func organisation(id: UUID, scope: Scope) async throws(ControlError) -> Organisation? {
        guard scope.canSee(organisation: id) else { return nil }
        return try await perform("get organisation") {
            try await OrganisationRow.find(id, on: database).map { try $0.record() }
        }
    }

    /// Renames an organisation: the server admin, or an admin token of that organisation.
    public func renameOrganisation(id: UUID, name: String, scope: Scope) async throws(ControlError) -> Organisation {
        guard scope.canSee(organisation: id) else { throw .notFound("organisation") }
        try scope.requireWrite()
        let name = try Validate.label(name, field: "name", range: ControlLimits.organisationNameLength)
        return try await perform("rename organisation") {
            guard let row = try await OrganisationRow.find(id, on: database) else {
                throw ControlError.notFound("organisation")
            }
            row.name = name
            try await row.update(on: database)
            return try row.record()
        }
    }

    /// Deletes an organisation and everything it owns (tokens, channels, keys, events, webhooks,
    /// deliveries). Server admin only.
    public func deleteOrganisation(id: UUID, scope: Scope) async throws(ControlError) {
        try scope.requireServerAdmin("deleting an organisation")
        try await transaction("delete organisation") { db in
            guard let row = try await OrganisationRow.find(id, on: db) else {
                throw ControlError.notFound("organisation")
            }
            // The foreign keys cascade too; deleting children first, in dependency order, keeps
            // that true even where a driver runs without foreign keys.
            try await WebhookDeliveryRow.query(on: db).filter(\.$organisationID == id).delete()
            try await WebhookRow.query(on: db).filter(\.$organisationID == id).delete()
            try await ClipRow.query(on: db).filter(\.$organisationID == id).delete()
            try await RecordingRow.query(on: db).filter(\.$organisationID == id).delete()
            try await EventRow.query(on: db).filter(\.$organisationID == id).delete()
            try await StreamKeyRow.query(on: db).filter(\.$organisationID == id).delete()
            try await ChannelRow.query(on: db).filter(\.$organisationID == id).delete()
            try await APITokenRow.query(on: db).filter(\.$organisationID == id).delete()
            try await row.delete(on: db)
        }
        logger.info("organisation deleted", metadata: ["organisation": "\(id)"])
        rightsChanged.increment()
    }

    /// Throws `.notFound("organisation")` unless the organisation exists and the scope sees it.
    func requireOrganisation(_ id: UUID, scope: Scope, on db: any Database) async throws -> OrganisationRow {
        guard scope.canSee(organisation: id), let row = try await OrganisationRow.find(id, on: db) else {
            throw ControlError.notFound("organisation")
        }
        return row
    }
}
