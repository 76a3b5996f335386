import FluentKit
import Foundation

/// The `channels` table. `name_folded` is the lowercased name; its unique index keeps names
/// unique regardless of case.
final class ChannelRow: Model, @unchecked Sendable {
    static let schema = "channels"

    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "name") var name: String
    @Field(key: "name_folded") var nameFolded: String
    @Field(key: "ladder") var ladder: String
    @Field(key: "archive_enabled") var archiveEnabled: Bool
    @OptionalField(key: "retention_seconds") var retentionSeconds: Int?
    @OptionalField(key: "retention_bytes") var retentionBytes: Int64?
    @Field(key: "visibility") var visibility: String
    @Field(key: "encryption_enabled") var encryptionEnabled: Bool
    @Field(key: "encryption_rotation_segments") var encryptionRotationSegments: Int
    @OptionalField(key: "encryption_key_server") var encryptionKeyServer: String?
    @Field(key: "encryption_scheme") var encryptionScheme: String
    @Field(key: "created_at") var createdAt: Date
    /// Added by ``AddChannelP2P``.
    @Field(key: "p2p") var p2p: Bool
    /// Added by ``AddChannelSlate``; a channel without a slate has none of them.
    @OptionalField(key: "slate_source") var slateSource: String?
    @OptionalField(key: "slate_path") var slatePath: String?
    @OptionalField(key: "slate_timeout_seconds") var slateTimeoutSeconds: Int?

    init() {}

    init(id: UUID, organisationID: UUID, settings: NewChannel, createdAt: Date) {
        self.id = id
        self.organisationID = organisationID
        self.createdAt = createdAt
        self.apply(name: settings.name)
        self.ladder = settings.ladder
        self.apply(archive: settings.archive)
        self.visibility = settings.visibility.rawValue
        self.p2p = settings.p2p
        self.apply(encryption: settings.encryption)
        self.apply(slate: settings.slate)
    }

    func apply(slate: ChannelSlate?) {
        self.slateSource = slate?.source.rawValue
        self.slatePath = slate?.path
        self.slateTimeoutSeconds = slate?.timeoutSeconds
    }

    func apply(encryption: EncryptionSettings) {
        self.encryptionEnabled = encryption.enabled
        self.encryptionRotationSegments = encryption.rotationSegments
        self.encryptionKeyServer = encryption.keyServer
        self.encryptionScheme = encryption.scheme.rawValue
    }

    func apply(name: String) {
        self.name = name
        self.nameFolded = ChannelRow.fold(name)
    }

    func apply(archive: ArchiveSettings) {
        self.archiveEnabled = archive.enabled
        self.retentionSeconds = archive.retentionSeconds
        self.retentionBytes = archive.retentionBytes
    }

    /// Channel names are ASCII (validated), so lowercasing is exact.
    static func fold(_ name: String) -> String { name.lowercased() }

    func record() throws(ControlError) -> Channel {
        guard let visibility = Visibility(rawValue: visibility) else {
            throw .database("\(Self.schema): unknown visibility \(visibility)")
        }
        let slate = try slateSource.map { source throws(ControlError) in
            guard let source = ChannelSlate.Source(rawValue: source) else { throw .database("\(Self.schema): unknown slate source \(source)") }
            return ChannelSlate(source: source, path: slatePath, timeoutSeconds: slateTimeoutSeconds)
        }
        return Channel(
            id: try requireRowID(id, Self.schema), organisationID: organisationID, name: name, ladder: ladder,
            archive: ArchiveSettings(enabled: archiveEnabled, retentionSeconds: retentionSeconds, retentionBytes: retentionBytes),
            visibility: visibility,
            encryption: EncryptionSettings(
                enabled: encryptionEnabled, rotationSegments: encryptionRotationSegments, keyServer: encryptionKeyServer,
                scheme: EncryptionScheme(rawValue: encryptionScheme) ?? .aes128),
            createdAt: createdAt.millisecondRounded, p2p: p2p, slate: slate
        )
    }
}
