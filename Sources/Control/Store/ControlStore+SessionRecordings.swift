import FluentKit
import Foundation
import SQLKit

/// The server's own recording calls: no scope, like the other media-path lookups.
extension ControlStore {
    /// Opens the recording of a publish session that starts `at`: origin `.session`, not retained,
    /// no end until ``finishSessionRecording(id:at:)``.
    public func startSessionRecording(
        channelID: UUID, title: String, at start: Date = Date()
    ) async throws(ControlError) -> Recording {
        let title = try Validate.label(title, field: "title", range: ControlLimits.recordingTitleLength)
        return try await transaction("start session recording") { db in
            guard let channel = try await ChannelRow.find(channelID, on: db) else {
                throw ControlError.notFound("channel")
            }
            let row = RecordingRow(
                id: UUID(), channelID: channelID, organisationID: channel.organisationID, title: title,
                startsAt: start, endsAt: nil, origin: .session, eventID: nil, retain: false, createdAt: .nowMilliseconds()
            )
            try await Self.insertRecording(row, on: db)
            return try row.record()
        }
    }

    /// Closes a session recording at `at` (never before its start). Closing a closed one changes
    /// nothing; a recording of another origin is a `.conflict`.
    @discardableResult
    public func finishSessionRecording(id: UUID, at end: Date = Date()) async throws(ControlError) -> Recording {
        try await transaction("finish session recording") { db in
            guard let row = try await RecordingRow.find(id, on: db) else {
                throw ControlError.notFound("recording")
            }
            guard row.origin == RecordingOrigin.session.rawValue else {
                throw ControlError.conflict("recording \(id) is not a session recording")
            }
            guard row.endsAt == nil else { return try row.record() }
            row.endsAt = max(end, row.startsAt).millisecondRounded
            try await row.update(on: db)
            return try row.record()
        }
    }

    /// Closes every session recording of a channel still open, at `at` (or at its start, if that
    /// is later): for a server restarting after a crash, which never saw those sessions end.
    /// Returns how many it closed.
    @discardableResult
    public func finishOpenSessionRecordings(channelID: UUID, at end: Date = Date()) async throws(ControlError) -> Int {
        try await transaction("finish open session recordings") { db in
            let open = try await RecordingRow.query(on: db)
                .filter(\.$channelID == channelID)
                .filter(\.$origin == RecordingOrigin.session.rawValue)
                .filter(\.$endsAt == nil)
                .all()
            for row in open {
                row.endsAt = max(end, row.startsAt).millisecondRounded
                try await row.update(on: db)
            }
            return open.count
        }
    }

    /// The recording, whatever its organisation (for serving `vod/{id}/master.m3u8`).
    public func recording(id: UUID) async throws(ControlError) -> Recording? {
        try await perform("get recording") {
            try await RecordingRow.find(id, on: database).map { try $0.record() }
        }
    }

    /// The time ranges of a channel's archive that retention must keep, sorted and merged where
    /// they overlap or touch: retained recordings (an open one up to `now`, or its start if that
    /// is later) and clips that are not failed (a pending clip still has to be cut; a ready one is
    /// also served as HLS from the archive).
    public func pinnedRanges(channelID: UUID, now: Date = Date()) async throws(ControlError) -> [ClosedRange<Date>] {
        let ranges = try await perform("pinned ranges") {
            let recordings = try await RecordingRow.query(on: database)
                .filter(\.$channelID == channelID)
                .filter(\.$retain == true)
                .all()
            let clips = try await ClipRow.query(on: database)
                .filter(\.$channelID == channelID)
                .filter(\.$status != ClipStatus.failed.rawValue)
                .all()
            let start = recordings.map { row in
                row.startsAt.millisecondRounded...max(row.endsAt ?? now, row.startsAt).millisecondRounded
            }
            return start + clips.map { $0.startsAt.millisecondRounded...$0.endsAt.millisecondRounded }
        }
        return Self.merged(ranges)
    }

    /// `ranges` sorted by start, overlapping or touching ones joined.
    static func merged(_ ranges: [ClosedRange<Date>]) -> [ClosedRange<Date>] {
        var merged: [ClosedRange<Date>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// Deletes a channel's recordings that are not retained and ended before `endedBefore`
    /// (wholly outside the archive retention keeps), and returns how many. Open recordings stay.
    @discardableResult
    public func deleteExpiredRecordings(channelID: UUID, endedBefore cutoff: Date) async throws(ControlError) -> Int {
        try await transaction("delete expired recordings") { db in
            let expired = try await RecordingRow.query(on: db)
                .filter(\.$channelID == channelID)
                .filter(\.$retain == false)
                .filter(\.$endsAt != nil)
                .filter(\.$endsAt < cutoff)
                .all(\.$id)
                .compactMap { $0 }
            for batch in expired.chunked(ControlLimits.lookupBatch) {
                try await ClipRow.query(on: db).filter(\.$recordingID ~~ batch.map { Optional($0) }).set(\.$recordingID, to: nil).update()
                try await RecordingRow.query(on: db).filter(\.$id ~~ batch).delete()
            }
            return expired.count
        }
    }
}
