/// `EncryptionSettings`, in responses and requests (a request replaces the whole object).
struct EncryptionJSON: Codable {
    static let schema = APISchema("Encryption", .representation(
        "HLS AES-128 encryption of the channel's segments and parts, with a new key every rotationSegments segments. Keys are derived from the server's content key secret, or fetched from keyServer (GET {keyServer}?channel=…&period=…).",
        [
            "enabled": .boolean(),
            "rotationSegments": .integer("Segments per key.", in: ControlLimits.encryptionRotationSegments),
            "keyServer": APIProperty.url("Where keys come from instead of the server's secret; null: derived.", nullable: true),
        ]
    ))

    /// As a client sends it.
    static let inputSchema = APISchema("EncryptionInput", .body(
        "HLS AES-128 encryption; replaces the channel's whole encryption object. Defaults: rotationSegments \(EncryptionSettings.defaultRotationSegments), keyServer null.",
        required: ["enabled"],
        [
            "enabled": .boolean(),
            "rotationSegments": .integer(in: ControlLimits.encryptionRotationSegments),
            "keyServer": APIProperty.url(nullable: true),
        ]
    ))

    let enabled: Bool
    let rotationSegments: Int
    let keyServer: Nullable<String>

    init(_ settings: EncryptionSettings) {
        enabled = settings.enabled
        rotationSegments = settings.rotationSegments
        keyServer = Nullable(settings.keyServer)
    }

    var settings: EncryptionSettings {
        EncryptionSettings(enabled: enabled, rotationSegments: rotationSegments, keyServer: keyServer.value)
    }

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.inputSchema)
        enabled = try object.required(Bool.self, "enabled")
        rotationSegments = try object.optional(Int.self, "rotationSegments") ?? EncryptionSettings.defaultRotationSegments
        keyServer = Nullable(try object.nullable(String.self, "keyServer") ?? nil)
    }
}
