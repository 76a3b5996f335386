/// `Organisation` in responses.
struct OrganisationJSON: APIRepresentation {
    static let schema = APISchema("Organisation", .representation(nil, [
        "id": APIProperty.id, "name": .text(), "createdAt": APIProperty.time,
    ]))

    let id: String
    let name: String
    let createdAt: String

    init(_ organisation: Organisation) {
        id = APIID.format(organisation.id)
        name = organisation.name
        createdAt = APIDate.format(organisation.createdAt)
    }
}

/// `POST /organisations`.
struct CreateOrganisationBody: APIRequestBody {
    static let schema = APISchema("OrganisationCreate", .body("A new organisation.", required: ["name"], [
        "name": APIProperty.title(ControlLimits.organisationNameLength),
    ]))

    let name: String

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
        name = try object.required(String.self, "name")
    }
}

/// `PATCH /organisations/{id}`.
struct UpdateOrganisationBody: APIRequestBody {
    static let schema = APISchema("OrganisationUpdate", .body("Renames the organisation; absent fields stay as they are.", required: [], [
        "name": APIProperty.title(ControlLimits.organisationNameLength),
    ]))

    let name: String?

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
        name = try object.optional(String.self, "name")
    }
}
