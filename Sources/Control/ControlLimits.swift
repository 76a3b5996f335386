/// Every bound the control plane puts on its inputs, in one place. Each says where the number comes
/// from: these values arrive over the REST API from tokens we do not trust ("the wire is hostile"),
/// and each one bounds a row, a column or a per-tenant amount of work.
public enum ControlLimits {
    /// Organisation names are shown in the back-office and in logs; 100 characters fits any legal
    /// entity name we have seen and keeps a table column readable.
    public static let organisationNameLength = 1...100

    /// Token and stream-key labels ("OBS studio A", "CI deploy") are for humans; 100 characters, as
    /// for organisation names.
    public static let labelLength = 1...100

    /// Channel names appear in playback URLs (`/hls/{channel}/...`) and in archive paths; 64 ASCII
    /// characters keep a URL path segment and a file name well inside every filesystem's 255-byte
    /// limit, with room for rendition and segment suffixes.
    public static let channelNameLength = 1...64

    /// A ladder is a preset name or the JSON text of a custom ladder. A custom ladder of the largest
    /// size the transcoder accepts (a dozen rungs with overlays) is a few KiB; 16 KiB leaves room
    /// and still bounds the row.
    public static let ladderLength = 1...16_384

    /// Segments per content key: from one (a key per segment) to 100,000 (over two days of 2 s
    /// segments; longer is as good as never rotating). Delivery's `ContentEncryption` takes the same.
    public static let encryptionRotationSegments = 1...100_000

    /// Archive retention by age: at least one segment's worth (1 s) and at most ten years.
    public static let retentionSeconds = 1...(10 * 366 * 24 * 3600)

    /// Archive retention by size: at least 1 MiB (a few segments), at most 1 PiB.
    public static let retentionBytes: ClosedRange<Int64> = (1 << 20)...(1 << 50)

    /// Active (not revoked) stream keys per channel. One per encoder plus a spare for rotation; 16
    /// covers a redundant encoder set-up with room, and bounds the hash lookups per channel.
    public static let streamKeysPerChannel = 16
    /// A stream key presented by an encoder: minted keys are 35 bytes, and keys declared in the
    /// configuration 8 to 256 (the longest stream name an RTMP `publish` is given room for).
    /// Anything else is rejected before it is hashed.
    public static let presentedStreamKeyLength = 8...256

    /// Active API tokens per organisation: one per integration or person; 100 is far above any
    /// real use and bounds the table against a runaway script.
    public static let tokensPerOrganisation = 100

    /// Channels per organisation. The largest deployment we plan for is an OTT service with a few
    /// hundred channels; 1,000 bounds a tenant without getting in its way.
    public static let channelsPerOrganisation = 1_000

    /// Events (scheduled programmes) per channel: a 24/7 channel with a programme every 15 minutes
    /// for a year is ~35,000; 50,000 bounds the table per channel.
    public static let eventsPerChannel = 50_000

    /// Event titles are shown in players and programme guides; 200 characters is a long title.
    public static let eventTitleLength = 1...200

    /// An event lasts at most 31 days: longer is a channel, not an event.
    public static let eventMaximumDurationSeconds = 31 * 24 * 3600

    /// Recordings per channel. Every event has one (``eventsPerChannel``), and the server adds one
    /// per publish session; 100,000 leaves as many again for sessions and API recordings, and the
    /// session recordings that retention expires make room.
    public static let recordingsPerChannel = 100_000

    /// Recording titles are shown in players and catalogues, like event titles.
    public static let recordingTitleLength = 1...200

    /// A recording made through the API lasts at most 31 days, as an event does: longer is the
    /// channel's archive, not a replay. Session recordings last as long as the publish session.
    public static let recordingMaximumDurationSeconds = 31 * 24 * 3600

    /// Clips per channel. A sports federation clipping a few dozen highlights per match, several
    /// matches a day, makes ~5,000 in a season; 10,000 bounds the table and the clip jobs per
    /// channel.
    public static let clipsPerChannel = 10_000

    /// A clip lasts 1 second (shorter is not a moment a viewer can see; the cut is re-encoded from
    /// the nearest keyframe anyway) to 3 hours (a whole match or keynote; longer is a recording,
    /// served as VOD rather than cut into one MP4).
    public static let clipDurationSeconds: ClosedRange<Double> = 1...10_800

    /// Rendition names (`1080p`, `audio_en`): `[a-z0-9_-]`, 32 characters, well above the ladder
    /// presets' names, and a URL path segment and file name in the archive.
    public static let renditionNameLength = 1...32

    /// Clip titles, like event titles.
    public static let clipTitleLength = 1...200

    /// The reason kept on a failed clip (an ffmpeg or archive error line); longer text is cut.
    public static let clipErrorLength = 1_024

    /// URLs (webhook targets, event posters). 2,048 characters is the de facto limit browsers,
    /// proxies and CDNs accept for a URL.
    public static let urlLength = 1...2_048

    /// Webhooks per organisation. Each event fans out to every matching webhook, so this bounds the
    /// deliveries one event (a stream start, a clip ready) can create to 32, and the subscriptions
    /// to 32 × 5 event types.
    public static let webhooksPerOrganisation = 32

    /// A webhook payload is a small JSON object describing one event; 64 KiB bounds the outbox row
    /// and the request body the receiver gets.
    public static let webhookPayloadBytes = 65_536

    /// Delivery attempts before a delivery is given up. With ``WebhookBackoff`` that is about a day
    /// of retrying, which outlasts an ordinary receiver outage.
    public static let webhookMaximumAttempts = 12

    /// The last error kept on a delivery (an HTTP status line and a bit of body); longer text is cut.
    public static let webhookErrorLength = 1_024

    /// Page sizes for every list. 200 rows is the largest page the back-office shows and bounds one
    /// response; 50 is the default.
    public static let pageLimit = 1...200
    public static let defaultPageLimit = 50

    /// `lastUsedAt` of an API token is written at most this often, so authenticating each request
    /// does not turn every read into a database write.
    public static let tokenLastUsedResolutionSeconds: Double = 60

    /// Ids per `IN (...)` list when the server checks many channels or keys at once. SQLite allows
    /// 32,766 bound parameters and PostgreSQL 65,535; 500 keeps each statement small.
    public static let lookupBatch = 500
}
