import FluentKit
import Foundation

extension ControlStore {
    /// Records a time range of a channel through the API (origin `.api`).
    public func createRecording(
        channel: UUID, _ recording: NewRecording, scope: Scope
    ) async throws(ControlError) -> Recording {
        try scope.requireWrite()
        let title = try Validate.label(recording.title, field: "title", range: ControlLimits.recordingTitleLength)
        try Validate.recordingTimes(startsAt: recording.startsAt, endsAt: recording.endsAt)
        let (startsAt, endsAt, retain) = (recording.startsAt, recording.endsAt, recording.retain)
        return try await transaction("create recording") { db in
            let channelRow = try await self.requireChannel(channel, scope: scope, on: db)
            let row = RecordingRow(
                id: UUID(), channelID: channel, organisationID: channelRow.organisationID, title: title,
                startsAt: startsAt, endsAt: endsAt, origin: .api, eventID: nil, retain: retain, createdAt: .nowMilliseconds()
            )
            try await Self.insertRecording(row, on: db)
            return try row.record()
        }
    }

    /// Lists a channel's recordings, of every origin.
    public func recordings(
        channel: UUID, scope: Scope, page: Page = .first
    ) async throws(ControlError) -> PageResult<Recording> {
        _ = try await perform("list recordings") { try await requireChannel(channel, scope: scope, on: database) }
        let query = scoped(RecordingRow.query(on: database), scope).filter(\.$channelID == channel)
        return try await self.page(query, page, "list recordings") { try $0.record() }
    }

    /// The recording, or `nil` if it does not exist or belongs to another organisation.
    public func recording(id: UUID, scope: Scope) async throws(ControlError) -> Recording? {
        try await perform("get recording") {
            try await scoped(RecordingRow.query(on: database), scope).filter(\.$id == id).first().map { try $0.record() }
        }
    }

    /// Changes a recording. Title and `retain` can change on any recording; the times only on an
    /// `.api` one (`.conflict` otherwise), and must still satisfy the rules of
    /// ``createRecording(channel:_:scope:)``.
    public func updateRecording(
        id: UUID, _ update: RecordingUpdate, scope: Scope
    ) async throws(ControlError) -> Recording {
        try scope.requireWrite()
        let title = try update.title.map { title throws(ControlError) in
            try Validate.label(title, field: "title", range: ControlLimits.recordingTitleLength)
        }
        let (retain, startsAt, endsAt) = (update.retain, update.startsAt, update.endsAt)
        return try await transaction("update recording") { db in
            guard let row = try await scoped(RecordingRow.query(on: db), scope).filter(\.$id == id).first() else {
                throw ControlError.notFound("recording")
            }
            if startsAt != nil || endsAt != nil {
                guard row.origin == RecordingOrigin.api.rawValue else {
                    throw ControlError.conflict(
                        "only the times of a recording made through the API can change; this one's origin is \(row.origin)"
                    )
                }
                if let startsAt { row.startsAt = startsAt.millisecondRounded }
                if let endsAt { row.endsAt = endsAt.millisecondRounded }
                guard let end = row.endsAt else { throw ControlError.database("\(RecordingRow.schema): api recording without end") }
                try Validate.recordingTimes(startsAt: row.startsAt, endsAt: end)
            }
            if let title { row.title = title }
            if let retain { row.retain = retain }
            try await row.update(on: db)
            return try row.record()
        }
    }

    /// Deletes a recording, of any origin. Clips cut from it stay (they pin their own range).
    public func deleteRecording(id: UUID, scope: Scope) async throws(ControlError) {
        try scope.requireWrite()
        try await transaction("delete recording") { db in
            guard let row = try await scoped(RecordingRow.query(on: db), scope).filter(\.$id == id).first() else {
                throw ControlError.notFound("recording")
            }
            try await ClipRow.query(on: db).filter(\.$recordingID == id).set(\.$recordingID, to: nil).update()
            try await row.delete(on: db)
        }
    }

    /// Inserts `row` unless its channel has ``ControlLimits/recordingsPerChannel`` recordings.
    static func insertRecording(_ row: RecordingRow, on db: any Database) async throws {
        let count = try await RecordingRow.query(on: db).filter(\.$channelID == row.channelID).count()
        guard count < ControlLimits.recordingsPerChannel else {
            throw ControlError.limitExceeded(what: "recordings per channel", limit: ControlLimits.recordingsPerChannel)
        }
        try await row.create(on: db)
    }
}
