import FluentKit
import Foundation

extension ControlStore {
    /// Schedules an event on a channel, and creates its recording (origin `.event`, retained,
    /// over the same range) in the same transaction.
    public func createEvent(channel: UUID, _ event: NewEvent, scope: Scope) async throws(ControlError) -> Event {
        try scope.requireWrite()
        var event = event
        event.title = try Validate.label(event.title, field: "title", range: ControlLimits.eventTitleLength)
        try Validate.eventTimes(startsAt: event.startsAt, endsAt: event.endsAt)
        event.posterURL = try event.posterURL.map { url throws(ControlError) in try Validate.httpURL(url, field: "posterURL") }
        let validated = event
        return try await transaction("create event") { db in
            let channelRow = try await self.requireChannel(channel, scope: scope, on: db)
            let count = try await EventRow.query(on: db).filter(\.$channelID == channel).count()
            guard count < ControlLimits.eventsPerChannel else {
                throw ControlError.limitExceeded(what: "events per channel", limit: ControlLimits.eventsPerChannel)
            }
            let now = Date.nowMilliseconds()
            let row = EventRow(
                id: UUID(), channelID: channel, organisationID: channelRow.organisationID,
                event: validated, createdAt: now
            )
            try await row.create(on: db)
            let event = try row.record()
            let recording = RecordingRow(
                id: UUID(), channelID: channel, organisationID: channelRow.organisationID, title: event.title,
                startsAt: event.startsAt, endsAt: event.endsAt, origin: .event, eventID: event.id, retain: true,
                createdAt: now
            )
            try await Self.insertRecording(recording, on: db)
            return event
        }
    }

    /// Lists a channel's events.
    public func events(channel: UUID, scope: Scope, page: Page = .first) async throws(ControlError) -> PageResult<Event> {
        _ = try await perform("list events") { try await requireChannel(channel, scope: scope, on: database) }
        let query = scoped(EventRow.query(on: database), scope).filter(\.$channelID == channel)
        return try await self.page(query, page, "list events") { try $0.record() }
    }

    /// The event, or `nil` if it does not exist or belongs to another organisation.
    public func event(id: UUID, scope: Scope) async throws(ControlError) -> Event? {
        try await perform("get event") {
            try await scoped(EventRow.query(on: database), scope).filter(\.$id == id).first().map { try $0.record() }
        }
    }

    /// Changes an event. The resulting times must still satisfy `endsAt > startsAt`; new times move
    /// the event's recording with it (its title stays as it is).
    public func updateEvent(id: UUID, _ update: EventUpdate, scope: Scope) async throws(ControlError) -> Event {
        try scope.requireWrite()
        let title = try update.title.map { title throws(ControlError) in
            try Validate.label(title, field: "title", range: ControlLimits.eventTitleLength)
        }
        var posterURL: String?? = nil
        if let change = update.posterURL {
            posterURL = .some(try change.map { url throws(ControlError) in try Validate.httpURL(url, field: "posterURL") })
        }
        let (startsAt, endsAt, newPoster) = (update.startsAt, update.endsAt, posterURL)
        return try await transaction("update event") { db in
            guard let row = try await scoped(EventRow.query(on: db), scope).filter(\.$id == id).first() else {
                throw ControlError.notFound("event")
            }
            if let title { row.title = title }
            if let startsAt { row.startsAt = startsAt.millisecondRounded }
            if let endsAt { row.endsAt = endsAt.millisecondRounded }
            try Validate.eventTimes(startsAt: row.startsAt, endsAt: row.endsAt)
            if let newPoster { row.posterURL = newPoster }
            try await row.update(on: db)
            if startsAt != nil || endsAt != nil {
                try await RecordingRow.query(on: db)
                    .filter(\.$eventID == id)
                    .set(\.$startsAt, to: row.startsAt)
                    .set(\.$endsAt, to: row.endsAt)
                    .update()
            }
            return try row.record()
        }
    }

    /// Deletes an event. Its recording stays, as a replay, until deleted itself; its `eventID`
    /// is cleared.
    public func deleteEvent(id: UUID, scope: Scope) async throws(ControlError) {
        try scope.requireWrite()
        try await transaction("delete event") { db in
            guard let row = try await scoped(EventRow.query(on: db), scope).filter(\.$id == id).first() else {
                throw ControlError.notFound("event")
            }
            try await RecordingRow.query(on: db).filter(\.$eventID == id).set(\.$eventID, to: nil).update()
            try await row.delete(on: db)
        }
    }
}
