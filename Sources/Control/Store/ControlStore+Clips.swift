import FluentKit
import Foundation

extension ControlStore {
    /// Asks for a clip of a channel. It is `pending` until a server's clip job takes it. Its end
    /// must not be later than now; cut from a recording, it must lie within the recording (an open
    /// one up to now).
    public func createClip(channel: UUID, _ clip: NewClip, scope: Scope) async throws(ControlError) -> Clip {
        try scope.requireWrite()
        let duration = try Validate.clipDuration(clip.duration)
        let rendition = try clip.rendition.map { name throws(ControlError) in try Validate.rendition(name) }
        let title = try clip.title.map { title throws(ControlError) in
            try Validate.label(title, field: "title", range: ControlLimits.clipTitleLength)
        }
        let source = clip.start
        if case .recording(_, let offset) = source, !(offset.isFinite && offset >= 0) {
            throw .invalid(field: "offset", reason: "must be a number of seconds, 0 or more")
        }
        let created = try await transaction("create clip") { db in
            let channelRow = try await self.requireChannel(channel, scope: scope, on: db)
            let now = Date.nowMilliseconds()
            let (start, recordingID) = try await Self.clipStart(source, duration: duration, channel: channel, now: now, on: db)
            let end = start.addingTimeInterval(duration).millisecondRounded
            guard end <= now else {
                throw ControlError.invalid(field: "start", reason: "the clip must be over: start + duration is later than now")
            }
            let count = try await ClipRow.query(on: db).filter(\.$channelID == channel).count()
            guard count < ControlLimits.clipsPerChannel else {
                throw ControlError.limitExceeded(what: "clips per channel", limit: ControlLimits.clipsPerChannel)
            }
            let row = ClipRow(
                id: UUID(), channelID: channel, organisationID: channelRow.organisationID, recordingID: recordingID,
                title: title, startsAt: start, endsAt: end, rendition: rendition, createdAt: now
            )
            try await row.create(on: db)
            return try row.record()
        }
        clipsAsked.increment()
        return created
    }

    /// The start of a clip and the recording it is cut from, checking it lies within the recording.
    private static func clipStart(
        _ source: NewClip.Start, duration: Double, channel: UUID, now: Date, on db: any Database
    ) async throws -> (Date, UUID?) {
        switch source {
        case .time(let start):
            return (start.millisecondRounded, nil)
        case .recording(let id, let offset):
            // The channel is the caller's (checked before), so its recordings are too.
            guard let recording = try await RecordingRow.find(id, on: db), recording.channelID == channel else {
                throw ControlError.invalid(field: "recording", reason: "not a recording of this channel")
            }
            let end = recording.endsAt ?? now
            let length = end.timeIntervalSince(recording.startsAt)
            guard offset + duration <= length + 0.000_5 else {
                throw ControlError.invalid(
                    field: "duration", reason: "offset + duration must lie within the recording (\(Int(length)) s long)"
                )
            }
            return (recording.startsAt.addingTimeInterval(offset).millisecondRounded, id)
        }
    }

    /// Lists a channel's clips, whatever their status.
    public func clips(channel: UUID, scope: Scope, page: Page = .first) async throws(ControlError) -> PageResult<Clip> {
        _ = try await perform("list clips") { try await requireChannel(channel, scope: scope, on: database) }
        let query = scoped(ClipRow.query(on: database), scope).filter(\.$channelID == channel)
        return try await self.page(query, page, "list clips") { try $0.record() }
    }

    /// The clip, or `nil` if it does not exist or belongs to another organisation.
    public func clip(id: UUID, scope: Scope) async throws(ControlError) -> Clip? {
        try await perform("get clip") {
            try await scoped(ClipRow.query(on: database), scope).filter(\.$id == id).first().map { try $0.record() }
        }
    }

    /// Deletes a clip, whatever its status. A job still cutting it gets `.notFound` when it
    /// reports; the server removes the MP4.
    public func deleteClip(id: UUID, scope: Scope) async throws(ControlError) {
        try scope.requireWrite()
        try await perform("delete clip") {
            guard let row = try await scoped(ClipRow.query(on: database), scope).filter(\.$id == id).first() else {
                throw ControlError.notFound("clip")
            }
            try await row.delete(on: database)
        }
    }
}
