import FluentKit
import Foundation
import SQLKit

/// The server's clip jobs: no scope, like the webhook sender's outbox calls.
extension ControlStore {
    /// Takes up to `limit` (in ``ControlLimits/pageLimit``) clips to cut, oldest first: pending
    /// ones, and processing ones whose lease has passed (their server died). Each is claimed with
    /// one conditional UPDATE that sets it `processing` until `now + lease`, so of several servers
    /// on one database exactly one takes it. A job renews the lease with
    /// ``updateClipProgress(id:progress:now:lease:)``.
    public func claimPendingClips(limit: Int, now: Date = Date(), lease: Double) async throws(ControlError) -> [ClipJob] {
        guard ControlLimits.pageLimit.contains(limit) else {
            throw .invalid(field: "limit", reason: "must be \(ControlLimits.pageLimit.lowerBound)...\(ControlLimits.pageLimit.upperBound)")
        }
        let now = now.millisecondRounded
        let until = now.addingTimeInterval(lease).millisecondRounded
        let candidates = try await perform("pending clips") {
            try await ClipRow.query(on: database)
                .filter(\.$status ~~ [ClipStatus.pending.rawValue, ClipStatus.processing.rawValue])
                .group(.or) { $0.filter(\.$claimedUntil == nil).filter(\.$claimedUntil <= now) }
                .sort(\.$createdAt)
                .sort(\.$id)
                .limit(limit)
                .all(\.$id)
                .compactMap { $0 }
        }
        var claimed: [UUID] = []
        for id in candidates {
            let won = try await perform("claim clip") {
                guard let sql = database as? any SQLDatabase else {
                    throw ControlError.database("claim clip: the driver does not speak SQL")
                }
                // PostgreSQL re-checks the WHERE on a row another transaction just changed, and
                // SQLite runs one writer at a time: the second of two claims matches no row.
                let rows = try await sql.update(ClipRow.schema)
                    .set("status", to: ClipStatus.processing.rawValue)
                    .set("claimed_until", to: until)
                    .where("id", .equal, id)
                    .where("status", .in, [ClipStatus.pending.rawValue, ClipStatus.processing.rawValue])
                    .where { $0.where("claimed_until", .is, SQLLiteral.null).orWhere("claimed_until", .lessThanOrEqual, now) }
                    .returning("id")
                    .all()
                return rows.count == 1
            }
            if won { claimed.append(id) }
        }
        var jobs: [ClipJob] = []
        for id in claimed {
            // Deleted in between: nothing to cut.
            if let job = try await clip(id: id) { jobs.append(job) }
        }
        return jobs
    }

    /// Records a job's progress (clamped to what was reported before: it never goes back) and,
    /// with `lease`, extends the claim to `now + lease`. Only a `processing` clip changes.
    @discardableResult
    public func updateClipProgress(
        id: UUID, progress: Double, now: Date = Date(), lease: Double? = nil
    ) async throws(ControlError) -> Clip {
        let progress = try Validate.progress(progress)
        return try await perform("update clip progress") {
            guard let row = try await ClipRow.find(id, on: database) else { throw ControlError.notFound("clip") }
            guard row.status == ClipStatus.processing.rawValue else { return try row.record() }
            row.progress = max(row.progress, progress)
            if let lease { row.claimedUntil = now.addingTimeInterval(lease).millisecondRounded }
            try await row.update(on: database)
            return try row.record()
        }
    }

    /// Marks a clip ready with its MP4's `size` and queues its `clip.ready` deliveries in the same
    /// transaction. A clip already ready or failed is returned as it is, and nothing is queued.
    @discardableResult
    public func finishClip(id: UUID, size: Int64, at date: Date = Date()) async throws(ControlError) -> Clip {
        guard size >= 0 else { throw .invalid(field: "size", reason: "must be 0 or more") }
        return try await endClip(id: id, "finish clip", at: date) { row in
            row.status = ClipStatus.ready.rawValue
            row.size = size
            row.progress = 1
            row.readyAt = date.millisecondRounded
        }
    }

    /// Marks a clip failed with `reason` (cut to ``ControlLimits/clipErrorLength``) and queues its
    /// `clip.ready` deliveries, as ``finishClip(id:size:at:)``.
    @discardableResult
    public func failClip(id: UUID, reason: String, at date: Date = Date()) async throws(ControlError) -> Clip {
        let reason = String(reason.prefix(ControlLimits.clipErrorLength))
        return try await endClip(id: id, "fail clip", at: date) { row in
            row.status = ClipStatus.failed.rawValue
            row.error = reason
        }
    }

    private func endClip(
        id: UUID, _ operation: String, at date: Date, _ change: @escaping @Sendable (ClipRow) -> Void
    ) async throws(ControlError) -> Clip {
        try await transaction(operation) { db in
            guard let row = try await ClipRow.find(id, on: db) else { throw ControlError.notFound("clip") }
            let ended = [ClipStatus.ready.rawValue, ClipStatus.failed.rawValue]
            guard !ended.contains(row.status) else { return try row.record() }
            change(row)
            row.claimedUntil = nil
            try await row.update(on: db)
            let clip = try row.record()
            guard let channel = try await ChannelRow.find(row.channelID, on: db) else {
                throw ControlError.notFound("channel")
            }
            let payload = try ClipReadyPayload(
                clip: clip, channelName: channel.name, organisationID: row.organisationID, at: date
            ).json()
            _ = try await Self.insertDeliveries(
                .clipReady, organisation: row.organisationID, payload: try Validate.payload(payload), now: date, on: db
            )
            return clip
        }
    }

    /// The clip with its channel's name and organisation, whatever its organisation (for clip
    /// jobs and for serving `clips/{id}.mp4`).
    public func clip(id: UUID) async throws(ControlError) -> ClipJob? {
        try await perform("get clip") {
            guard let row = try await ClipRow.query(on: database)
                .join(ChannelRow.self, on: \ClipRow.$channelID == \ChannelRow.$id)
                .filter(\.$id == id)
                .first()
            else { return nil }
            let channel = try row.joined(ChannelRow.self)
            return ClipJob(clip: try row.record(), channelName: channel.name, organisationID: channel.organisationID)
        }
    }
}
