/// `Organisation` in responses.
struct OrganisationJSON: Encodable {
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
struct CreateOrganisationBody: Decodable {
    let name: String

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, fields: ["name"])
        name = try object.required(String.self, "name")
    }
}

/// `PATCH /organisations/{id}`.
struct UpdateOrganisationBody: Decodable {
    let name: String?

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, fields: ["name"])
        name = try object.optional(String.self, "name")
    }
}
