import FluentKit
import Foundation
import Testing

@testable import Control
import TestSupport

@Suite("Recordings migration")
struct RecordingBackfillTests {
    @Test("events scheduled before recordings existed get their recording", arguments: Backend.allCases)
    func backfill(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "old"), scope: orgs.scopeA)
            let start = Date(timeIntervalSince1970: 1_700_000_000.123)
            let event = try await store.createEvent(
                channel: channel.id, NewEvent(title: "Before", startsAt: start, endsAt: start + 3600), scope: orgs.scopeA
            )
            // As the database was before the migration: an event without a recording.
            try await RecordingRow.query(on: store.database).delete()

            try await CreateRecordings.backfill(on: store.database)
            let recording = try #require(try await store.recording(id: event.id))
            #expect(recording == Recording(
                id: event.id, channelID: channel.id, title: "Before", startsAt: event.startsAt, endsAt: event.endsAt,
                origin: .event, eventID: event.id, retain: true, createdAt: event.createdAt
            ))
            #expect(try await store.recording(id: event.id, scope: orgs.scopeB) == nil)
        }
    }
}
