import Foundation

/// A channel that the server's configuration declares (`--channel NAME:KEY` or the configuration
/// file's `channels`). At start the server declares each into the control plane, in the default
/// organisation, so it is an API resource like any other: it has events, webhooks, recordings and
/// clips, and the server admin sees it in `GET /api/v1/channels`.
public struct DeclaredChannel: Sendable, Hashable {
    public var name: String
    /// The configured stream key. Secret: only its SHA-256 is stored, like a minted key's.
    public var streamKey: String
    /// The configured key of the channel's backup input, if it has one. Secret, like `streamKey`.
    public var backupStreamKey: String?
    /// The key the server's slate player publishes with, if the channel has a slate. Secret.
    public var slateStreamKey: String?
    public var ladder: String
    public var archive: ArchiveSettings
    public var visibility: Visibility
    public var encryption: EncryptionSettings
    /// Peer-assisted delivery, as the configuration says (`--p2p`, `"p2p": true`).
    public var p2p: Bool
    /// The configured slate or playout file (absolute paths, which the API cannot set).
    public var slate: ChannelSlate?

    public init(
        name: String, streamKey: String, backupStreamKey: String? = nil, slateStreamKey: String? = nil, ladder: String,
        archive: ArchiveSettings, visibility: Visibility, encryption: EncryptionSettings = .disabled,
        p2p: Bool = false, slate: ChannelSlate? = nil
    ) {
        self.slate = slate
        self.encryption = encryption
        self.name = name
        self.streamKey = streamKey
        self.backupStreamKey = backupStreamKey
        self.slateStreamKey = slateStreamKey
        self.ladder = ladder
        self.archive = archive
        self.visibility = visibility
        self.p2p = p2p
    }
}

extension Organisation {
    /// The organisation that holds the channels the server's configuration declares. Its id is
    /// fixed, so every start (and every origin sharing one database) finds the same one.
    public static let defaultID = UUID(uuidString: "00000000-0000-4000-8000-000000000001")!
    public static let defaultName = "default"
}

extension StreamKey {
    /// The label of a key that the configuration declares.
    public static let configurationLabel = "configuration"
    /// The label of a backup key that the configuration declares.
    public static let configurationBackupLabel = "configuration-backup"
    /// The label of the key of the server's slate player.
    public static let slateLabel = "slate"
}
