import Foundation

/// Who may watch a channel.
public enum Visibility: String, Sendable, Hashable, Codable, CaseIterable {
    /// Anyone with the URL.
    case `public`
    /// Only viewers presenting a playback token.
    case token
}

/// How a channel keeps its DVR archive. With both retentions `nil`, the archive is kept until
/// deleted; with both set, whichever is reached first applies.
public struct ArchiveSettings: Sendable, Hashable, Codable {
    public var enabled: Bool
    /// Keep at most this many seconds of media.
    public var retentionSeconds: Int?
    /// Keep at most this many bytes.
    public var retentionBytes: Int64?

    public init(enabled: Bool, retentionSeconds: Int? = nil, retentionBytes: Int64? = nil) {
        self.enabled = enabled
        self.retentionSeconds = retentionSeconds
        self.retentionBytes = retentionBytes
    }

    /// No archive.
    public static let disabled = ArchiveSettings(enabled: false)
}

/// A live channel. Its name is public (it is in playback URLs) and unique across the server,
/// ignoring case, so two organisations cannot publish `demo` and `Demo`.
public struct Channel: Sendable, Hashable, Identifiable, Codable {
    public let id: UUID
    public let organisationID: UUID
    /// `[A-Za-z0-9_-]{1,64}`.
    public var name: String
    /// A ladder preset name or the JSON text of a custom ladder; the transcoder interprets it.
    public var ladder: String
    public var archive: ArchiveSettings
    public var visibility: Visibility
    public var encryption: EncryptionSettings
    public let createdAt: Date
    /// Peer-assisted delivery (issue 17): viewers fetch media from each other. Off unless turned
    /// on: it shows viewers' addresses to each other.
    public var p2p: Bool
    /// What it plays while no encoder is live; nil: it ends instead.
    public var slate: ChannelSlate?

    public init(
        id: UUID, organisationID: UUID, name: String, ladder: String,
        archive: ArchiveSettings, visibility: Visibility, encryption: EncryptionSettings = .disabled, createdAt: Date, p2p: Bool = false,
        slate: ChannelSlate? = nil
    ) {
        self.slate = slate
        self.encryption = encryption
        self.id = id
        self.organisationID = organisationID
        self.name = name
        self.ladder = ladder
        self.archive = archive
        self.visibility = visibility
        self.createdAt = createdAt
        self.p2p = p2p
    }

    /// The ladder a channel gets when none is given: publish the source as it is.
    public static let defaultLadder = "passthrough"
}

/// The fields of a channel to create.
public struct NewChannel: Sendable, Hashable {
    public var name: String
    public var ladder: String
    public var archive: ArchiveSettings
    public var visibility: Visibility
    public var encryption: EncryptionSettings
    public var p2p: Bool
    public var slate: ChannelSlate?

    public init(
        name: String, ladder: String = Channel.defaultLadder,
        archive: ArchiveSettings = .disabled, visibility: Visibility = .public, encryption: EncryptionSettings = .disabled,
        p2p: Bool = false, slate: ChannelSlate? = nil
    ) {
        self.slate = slate
        self.encryption = encryption
        self.name = name
        self.ladder = ladder
        self.archive = archive
        self.visibility = visibility
        self.p2p = p2p
    }
}

/// A partial change to a channel: `nil` leaves a field as it is.
public struct ChannelUpdate: Sendable, Hashable {
    public var name: String?
    public var ladder: String?
    public var archive: ArchiveSettings?
    public var visibility: Visibility?
    public var encryption: EncryptionSettings?
    public var p2p: Bool?
    /// `.some(nil)` removes the slate.
    public var slate: ChannelSlate??

    public init(
        name: String? = nil, ladder: String? = nil,
        archive: ArchiveSettings? = nil, visibility: Visibility? = nil, encryption: EncryptionSettings? = nil,
        p2p: Bool? = nil, slate: ChannelSlate?? = nil
    ) {
        self.slate = slate
        self.encryption = encryption
        self.name = name
        self.ladder = ladder
        self.archive = archive
        self.visibility = visibility
        self.p2p = p2p
    }
}
