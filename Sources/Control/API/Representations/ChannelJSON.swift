import Foundation

/// `Channel` in responses.
struct ChannelJSON: Encodable {
    let id: String
    let organisationId: String
    let name: String
    let ladder: String
    let archive: ArchiveJSON
    let visibility: String
    let createdAt: String

    init(_ channel: Channel) {
        id = APIID.format(channel.id)
        organisationId = APIID.format(channel.organisationID)
        name = channel.name
        ladder = channel.ladder
        archive = ArchiveJSON(channel.archive)
        visibility = channel.visibility.rawValue
        createdAt = APIDate.format(channel.createdAt)
    }
}

/// `ArchiveSettings`, in responses and requests (a request replaces the whole object).
struct ArchiveJSON: Codable {
    let enabled: Bool
    let retentionSeconds: Nullable<Int>
    let retentionBytes: Nullable<Int64>

    init(_ settings: ArchiveSettings) {
        enabled = settings.enabled
        retentionSeconds = Nullable(settings.retentionSeconds)
        retentionBytes = Nullable(settings.retentionBytes)
    }

    var settings: ArchiveSettings {
        ArchiveSettings(enabled: enabled, retentionSeconds: retentionSeconds.value, retentionBytes: retentionBytes.value)
    }

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, fields: ["enabled", "retentionSeconds", "retentionBytes"])
        enabled = try object.required(Bool.self, "enabled")
        retentionSeconds = Nullable(try object.nullable(Int.self, "retentionSeconds") ?? nil)
        retentionBytes = Nullable(try object.nullable(Int64.self, "retentionBytes") ?? nil)
    }
}

/// `POST /channels`. `organisationId` is for the server admin token; an organisation's token
/// creates in its own organisation (naming another one is a 404).
struct CreateChannelBody: Decodable {
    let organisationID: UUID?
    let channel: NewChannel

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, fields: ["organisationId", "name", "ladder", "archive", "visibility"])
        organisationID = try object.uuid("organisationId")
        channel = NewChannel(
            name: try object.required(String.self, "name"),
            ladder: try object.optional(String.self, "ladder") ?? Channel.defaultLadder,
            archive: try object.optional(ArchiveJSON.self, "archive")?.settings ?? .disabled,
            visibility: try object.choice(Visibility.self, "visibility") ?? .public
        )
    }
}

/// `PATCH /channels/{id}`: absent fields stay as they are; `archive` is replaced whole.
struct UpdateChannelBody: Decodable {
    let update: ChannelUpdate

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, fields: ["name", "ladder", "archive", "visibility"])
        update = ChannelUpdate(
            name: try object.optional(String.self, "name"),
            ladder: try object.optional(String.self, "ladder"),
            archive: try object.optional(ArchiveJSON.self, "archive")?.settings,
            visibility: try object.choice(Visibility.self, "visibility")
        )
    }
}
