import Foundation

/// Where a clip's job stands.
public enum ClipStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for a server to take it.
    case pending
    /// A server is cutting it (see ``ControlStore/claimPendingClips(limit:now:lease:)``).
    case processing
    /// The MP4 is at ``Clip/downloadPath``.
    case ready
    /// It could not be cut; ``Clip/error`` says why.
    case failed
}

/// An MP4 cut from a channel's archive, made by a server's clip job.
public struct Clip: Sendable, Hashable, Identifiable, Codable {
    public let id: UUID
    public let channelID: UUID
    /// The recording the clip was cut from, when it was asked for by recording and offset; `nil`
    /// once that recording is deleted (the clip stays).
    public let recordingID: UUID?
    public var title: String?
    /// The first instant of the clip.
    public let start: Date
    /// Later than `start` by ``ControlLimits/clipDurationSeconds``.
    public let end: Date
    /// The rendition to cut (`[a-z0-9_-]{1,32}`); `nil` for the channel's best video rendition.
    public let rendition: String?
    public var status: ClipStatus
    /// 0...1, as reported by the job.
    public var progress: Double
    /// Bytes of the MP4, once ready.
    public var size: Int64?
    /// Why it failed, once failed.
    public var error: String?
    public let createdAt: Date
    public var readyAt: Date?

    public init(
        id: UUID, channelID: UUID, recordingID: UUID?, title: String?, start: Date, end: Date,
        rendition: String?, status: ClipStatus, progress: Double, size: Int64?, error: String?,
        createdAt: Date, readyAt: Date?
    ) {
        self.id = id
        self.channelID = channelID
        self.recordingID = recordingID
        self.title = title
        self.start = start
        self.end = end
        self.rendition = rendition
        self.status = status
        self.progress = progress
        self.size = size
        self.error = error
        self.createdAt = createdAt
        self.readyAt = readyAt
    }

    /// The clip's length in seconds, to the millisecond.
    public var duration: Double { (end.timeIntervalSince(start) * 1000).rounded() / 1000 }

    /// The MP4 on the delivery server: `/clips/{id}.mp4`.
    public var downloadPath: String { "/clips/\(id.uuidString.lowercased()).mp4" }

    /// The clip as HLS, on the delivery server: `/clips/{id}/master.m3u8`.
    public var playlistPath: String { "/clips/\(id.uuidString.lowercased())/master.m3u8" }
}

/// A clip to cut.
public struct NewClip: Sendable, Hashable {
    /// Where the clip starts.
    public enum Start: Sendable, Hashable {
        /// At this instant of the channel's archive.
        case time(Date)
        /// `offset` seconds after the start of a recording of the same channel; the clip must lie
        /// within the recording.
        case recording(UUID, offset: Double)
    }

    public var start: Start
    /// Seconds, in ``ControlLimits/clipDurationSeconds``; kept to the millisecond.
    public var duration: Double
    public var rendition: String?
    public var title: String?

    public init(start: Start, duration: Double, rendition: String? = nil, title: String? = nil) {
        self.start = start
        self.duration = duration
        self.rendition = rendition
        self.title = title
    }
}

/// A clip with what a server's clip job needs besides: its channel's name and organisation.
public struct ClipJob: Sendable, Hashable {
    public let clip: Clip
    public let channelName: String
    public let organisationID: UUID

    public init(clip: Clip, channelName: String, organisationID: UUID) {
        self.clip = clip
        self.channelName = channelName
        self.organisationID = organisationID
    }
}
