import Foundation

/// `Channel` in responses.
struct ChannelJSON: APIRepresentation {
    static let schema = APISchema("Channel", .representation(nil, [
        "id": APIProperty.id, "organisationId": APIProperty.id, "name": APIProperty.channelName, "ladder": APIProperty.ladder(),
        "archive": ArchiveJSON.schema.reference, "visibility": visibilitySchema.reference,
        "encryption": EncryptionJSON.schema.reference, "createdAt": APIProperty.time,
        "p2p": p2pProperty(), "slate": SlateJSON.schema.reference,
    ]))

    /// Peer-assisted delivery, in responses and requests.
    static func p2pProperty(default value: Bool? = nil) -> OpenAPIValue {
        .boolean(
            "Peer-assisted delivery: viewers' players fetch media from each other over WebRTC, checked against digests "
                + "from the server. Viewers then see each other's IP addresses. Applies at once to a live channel.",
            default: value)
    }

    static let visibilitySchema = APISchema("Visibility", .choice(
        Visibility.self, "public: anyone with the URL may watch; token: only viewers presenting a playback token."
    ))

    let id: String
    let organisationId: String
    let name: String
    let ladder: String
    let archive: ArchiveJSON
    let visibility: String
    let encryption: EncryptionJSON
    let createdAt: String
    let p2p: Bool
    let slate: Nullable<SlateJSON>

    init(_ channel: Channel) {
        slate = Nullable(channel.slate.map(SlateJSON.init))
        id = APIID.format(channel.id)
        organisationId = APIID.format(channel.organisationID)
        name = channel.name
        ladder = channel.ladder
        archive = ArchiveJSON(channel.archive)
        visibility = channel.visibility.rawValue
        encryption = EncryptionJSON(channel.encryption)
        createdAt = APIDate.format(channel.createdAt)
        p2p = channel.p2p
    }
}

/// `ArchiveSettings`, in responses and requests (a request replaces the whole object).
struct ArchiveJSON: Codable {
    static let schema = APISchema("Archive", .representation(
        "DVR archive settings. With both retentions null the archive is kept until deleted; with both set, whichever is reached first applies.",
        [
            "enabled": .boolean(),
            "retentionSeconds": .integer("Keep at most this many seconds of media.", in: ControlLimits.retentionSeconds, nullable: true),
            "retentionBytes": .integer(
                "Keep at most this many bytes.", format: "int64", in: ControlLimits.retentionBytes, nullable: true
            ),
        ]
    ))

    /// As a client sends it.
    static let inputSchema = APISchema("ArchiveInput", .body(
        "DVR archive settings; replaces the channel's whole archive object. Absent retentions are null.",
        required: ["enabled"],
        [
            "enabled": .boolean(),
            "retentionSeconds": .integer(in: ControlLimits.retentionSeconds, nullable: true),
            "retentionBytes": .integer(format: "int64", in: ControlLimits.retentionBytes, nullable: true),
        ]
    ))

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
        let object = try BodyObject(decoder, schema: Self.inputSchema)
        enabled = try object.required(Bool.self, "enabled")
        retentionSeconds = Nullable(try object.nullable(Int.self, "retentionSeconds") ?? nil)
        retentionBytes = Nullable(try object.nullable(Int64.self, "retentionBytes") ?? nil)
    }
}

/// `POST /channels`. `organisationId` is for the server admin token; an organisation's token
/// creates in its own organisation (naming another one is a 404).
struct CreateChannelBody: APIRequestBody {
    static let schema = APISchema("ChannelCreate", .body(
        "A new channel. Defaults: ladder \(Channel.defaultLadder), archive disabled, visibility public, encryption disabled, p2p off, no slate.",
        required: ["name"],
        [
            "organisationId": APIProperty.owningOrganisation, "name": APIProperty.channelName,
            "ladder": APIProperty.ladder(default: Channel.defaultLadder), "archive": ArchiveJSON.inputSchema.reference,
            "visibility": ChannelJSON.visibilitySchema.reference, "encryption": EncryptionJSON.inputSchema.reference,
            "p2p": ChannelJSON.p2pProperty(default: false), "slate": SlateJSON.nullableInput,
        ]
    ))

    let organisationID: UUID?
    let channel: NewChannel

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
        organisationID = try object.uuid("organisationId")
        channel = NewChannel(
            name: try object.required(String.self, "name"),
            ladder: try object.optional(String.self, "ladder") ?? Channel.defaultLadder,
            archive: try object.optional(ArchiveJSON.self, "archive")?.settings ?? .disabled,
            visibility: try object.choice(Visibility.self, "visibility") ?? .public,
            encryption: try object.optional(EncryptionJSON.self, "encryption")?.settings ?? .disabled,
            p2p: try object.optional(Bool.self, "p2p") ?? false,
            slate: try object.nullable(SlateJSON.self, "slate")??.slate
        )
    }
}

/// `PATCH /channels/{id}`: absent fields stay as they are; `archive` is replaced whole.
struct UpdateChannelBody: APIRequestBody {
    static let schema = APISchema("ChannelUpdate", .body(
        "Absent fields stay as they are; archive, encryption and slate are replaced whole. null is refused but for slate (null removes it).", required: [],
        [
            "name": APIProperty.channelName, "ladder": APIProperty.ladder(), "archive": ArchiveJSON.inputSchema.reference,
            "visibility": ChannelJSON.visibilitySchema.reference, "encryption": EncryptionJSON.inputSchema.reference, "p2p": ChannelJSON.p2pProperty(),
            "slate": SlateJSON.nullableInput,
        ]
    ))

    let update: ChannelUpdate

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
        update = ChannelUpdate(
            name: try object.optional(String.self, "name"),
            ladder: try object.optional(String.self, "ladder"),
            archive: try object.optional(ArchiveJSON.self, "archive")?.settings,
            visibility: try object.choice(Visibility.self, "visibility"),
            encryption: try object.optional(EncryptionJSON.self, "encryption")?.settings,
            p2p: try object.optional(Bool.self, "p2p"),
            slate: try object.nullable(SlateJSON.self, "slate").map { $0?.slate }
        )
    }
}
