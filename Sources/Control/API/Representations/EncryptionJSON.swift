/// `EncryptionSettings`, in responses and requests (a request replaces the whole object).
struct EncryptionJSON: Codable {
    static let schema = APISchema("Encryption", .representation(
        "Encryption of the channel's media with a new key every rotationSegments segments: scheme aes-128 (HLS METHOD=AES-128, each segment and part whole) or cbcs (common encryption, HLS METHOD=SAMPLE-AES and DASH, played with EME Clear Key). Keys are derived from the server's content key secret, or fetched from keyServer (GET {keyServer}?channel=…&period=…).",
        [
            "enabled": .boolean(),
            "scheme": EncryptionJSON.schemeProperty,
            "rotationSegments": .integer("Segments per key.", in: ControlLimits.encryptionRotationSegments),
            "keyServer": APIProperty.url("Where keys come from instead of the server's secret; null: derived.", nullable: true),
        ]
    ))

    /// As a client sends it.
    static let inputSchema = APISchema("EncryptionInput", .body(
        "Encryption; replaces the channel's whole encryption object. Defaults: scheme aes-128, rotationSegments \(EncryptionSettings.defaultRotationSegments), keyServer null.",
        required: ["enabled"],
        [
            "enabled": .boolean(),
            "scheme": EncryptionJSON.schemeProperty,
            "rotationSegments": .integer(in: ControlLimits.encryptionRotationSegments),
            "keyServer": APIProperty.url(nullable: true),
        ]
    ))

    static let schemeProperty: OpenAPIValue = ["type": "string", "enum": .array(EncryptionScheme.allCases.map { .string($0.rawValue) })]

    let enabled: Bool
    let scheme: EncryptionScheme
    let rotationSegments: Int
    let keyServer: Nullable<String>

    init(_ settings: EncryptionSettings) {
        enabled = settings.enabled
        scheme = settings.scheme
        rotationSegments = settings.rotationSegments
        keyServer = Nullable(settings.keyServer)
    }

    var settings: EncryptionSettings {
        EncryptionSettings(
            enabled: enabled, rotationSegments: rotationSegments, keyServer: keyServer.value, scheme: scheme)
    }

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.inputSchema)
        enabled = try object.required(Bool.self, "enabled")
        scheme = try object.choice(EncryptionScheme.self, "scheme") ?? .aes128
        rotationSegments = try object.optional(Int.self, "rotationSegments") ?? EncryptionSettings.defaultRotationSegments
        keyServer = Nullable(try object.nullable(String.self, "keyServer") ?? nil)
    }
}
