import FluentKit
import Foundation

/// The `organisations` table.
final class OrganisationRow: Model, @unchecked Sendable {
    static let schema = "organisations"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(id: UUID, name: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }

    func record() throws(ControlError) -> Organisation {
        Organisation(id: try requireRowID(id, Self.schema), name: name, createdAt: createdAt.millisecondRounded)
    }
}

/// A row read from the database always has an id; a missing one means a broken table.
func requireRowID(_ id: UUID?, _ table: String) throws(ControlError) -> UUID {
    guard let id else { throw .database("\(table): row without an id") }
    return id
}
