import Control
import Foundation
import Testing
import TestSupport

@Suite("Recordings")
struct RecordingTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("API recordings: create, list, get, update, delete, and their validation", arguments: Backend.allCases)
    func apiRecordings(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "talks"), scope: orgs.scopeA)
            let recording = try await store.createRecording(
                channel: channel.id, NewRecording(title: "  Keynote ", startsAt: Self.t0, endsAt: Self.t0 + 3600), scope: orgs.scopeA
            )
            #expect(recording.title == "Keynote")
            #expect(recording.origin == .api)
            #expect(recording.retain)
            #expect(recording.endsAt == Self.t0 + 3600)
            #expect(recording.eventID == nil)
            #expect(recording.playbackPath == "/vod/\(recording.id.uuidString.lowercased())/master.m3u8")
            #expect(try await store.recording(id: recording.id, scope: orgs.scopeA) == recording)
            #expect(try await store.recording(id: recording.id) == recording)
            #expect(try await store.recordings(channel: channel.id, scope: orgs.scopeA).items == [recording])

            let moved = try await store.updateRecording(
                id: recording.id, RecordingUpdate(title: "Opening", retain: false, endsAt: Self.t0 + 7200), scope: orgs.scopeA
            )
            #expect(moved.title == "Opening")
            #expect(!moved.retain)
            #expect(moved.startsAt == Self.t0)
            #expect(moved.endsAt == Self.t0 + 7200)

            let backwards = await controlError {
                _ = try await store.updateRecording(id: recording.id, RecordingUpdate(startsAt: Self.t0 + 9000), scope: orgs.scopeA)
            }
            #expect(backwards == .invalid(field: "endsAt", reason: "must be later than startsAt"))
            let tooLong = await controlError {
                _ = try await store.createRecording(
                    channel: channel.id, NewRecording(title: "Season", startsAt: Self.t0, endsAt: Self.t0 + 32 * 86_400),
                    scope: orgs.scopeA
                )
            }
            #expect(tooLong == .invalid(field: "endsAt", reason: "a recording lasts at most 31 days"))
            let untitled = await controlError {
                _ = try await store.createRecording(
                    channel: channel.id, NewRecording(title: " ", startsAt: Self.t0, endsAt: Self.t0 + 1), scope: orgs.scopeA
                )
            }
            #expect(untitled == .invalid(field: "title", reason: "must be 1...200 characters"))
            let readOnly = await controlError {
                _ = try await store.updateRecording(id: recording.id, RecordingUpdate(title: "x"), scope: .organisation(orgs.a.id, .readOnly))
            }
            #expect(readOnly == .forbidden("a read-only token cannot change anything"))

            try await store.deleteRecording(id: recording.id, scope: orgs.scopeA)
            #expect(try await store.recording(id: recording.id) == nil)
            let again = await controlError { try await store.deleteRecording(id: recording.id, scope: orgs.scopeA) }
            #expect(again == .notFound("recording"))
        }
    }

    @Test("another organisation reads and changes none of a channel's recordings", arguments: Backend.allCases)
    func isolation(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "a"), scope: orgs.scopeA)
            let recording = try await store.createRecording(
                channel: channel.id, NewRecording(title: "A's", startsAt: Self.t0, endsAt: Self.t0 + 60), scope: orgs.scopeA
            )
            #expect(try await store.recording(id: recording.id, scope: orgs.scopeB) == nil)
            let list = await controlError { _ = try await store.recordings(channel: channel.id, scope: orgs.scopeB) }
            #expect(list == .notFound("channel"))
            let create = await controlError {
                _ = try await store.createRecording(
                    channel: channel.id, NewRecording(title: "B's", startsAt: Self.t0, endsAt: Self.t0 + 60), scope: orgs.scopeB
                )
            }
            #expect(create == .notFound("channel"))
            let update = await controlError {
                _ = try await store.updateRecording(id: recording.id, RecordingUpdate(retain: false), scope: orgs.scopeB)
            }
            #expect(update == .notFound("recording"))
            let delete = await controlError { try await store.deleteRecording(id: recording.id, scope: orgs.scopeB) }
            #expect(delete == .notFound("recording"))
            #expect(try await store.recording(id: recording.id, scope: .serverAdmin) == recording)
        }
    }

    @Test("an event's recording is made with it, moves with it and outlives it", arguments: Backend.allCases)
    func eventRecording(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "sport"), scope: orgs.scopeA)
            let event = try await store.createEvent(
                channel: channel.id, NewEvent(title: "Final", startsAt: Self.t0, endsAt: Self.t0 + 5400), scope: orgs.scopeA
            )
            let recording = try #require(try await store.recordings(channel: channel.id, scope: orgs.scopeA).items.first)
            #expect(recording.origin == .event)
            #expect(recording.eventID == event.id)
            #expect(recording.title == "Final")
            #expect(recording.retain)
            #expect(recording.startsAt == event.startsAt)
            #expect(recording.endsAt == event.endsAt)

            // An event's recording keeps the event's times; its title and retain are its own.
            let conflict = await controlError {
                _ = try await store.updateRecording(id: recording.id, RecordingUpdate(endsAt: Self.t0 + 60), scope: orgs.scopeA)
            }
            #expect(conflict == .conflict("only the times of a recording made through the API can change; this one's origin is event"))
            _ = try await store.updateRecording(id: recording.id, RecordingUpdate(title: "Final (replay)"), scope: orgs.scopeA)

            _ = try await store.updateEvent(
                id: event.id, EventUpdate(title: "Cup final", startsAt: Self.t0 + 600, endsAt: Self.t0 + 6000), scope: orgs.scopeA
            )
            let moved = try #require(try await store.recording(id: recording.id))
            #expect(moved.startsAt == Self.t0 + 600)
            #expect(moved.endsAt == Self.t0 + 6000)
            #expect(moved.title == "Final (replay)")

            try await store.deleteEvent(id: event.id, scope: orgs.scopeA)
            let kept = try #require(try await store.recording(id: recording.id))
            #expect(kept.eventID == nil)
            #expect(kept.origin == .event)
            #expect(kept.endsAt == Self.t0 + 6000)

            // Deleting the channel takes its recordings.
            try await store.deleteChannel(id: channel.id, scope: orgs.scopeA)
            #expect(try await store.recording(id: recording.id) == nil)
        }
    }

    @Test("session recordings: started open, finished once, crash leftovers closed", arguments: Backend.allCases)
    func sessionRecordings(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "live"), scope: orgs.scopeA)
            let session = try await store.startSessionRecording(channelID: channel.id, title: "live 18:00", at: Self.t0)
            #expect(session.origin == .session)
            #expect(!session.retain)
            #expect(session.endsAt == nil)
            #expect(try await store.recording(id: session.id, scope: orgs.scopeA) == session)
            #expect(try await store.recording(id: session.id, scope: orgs.scopeB) == nil)

            let finished = try await store.finishSessionRecording(id: session.id, at: Self.t0 + 120)
            #expect(finished.endsAt == Self.t0 + 120)
            // Finishing twice keeps the first end.
            #expect(try await store.finishSessionRecording(id: session.id, at: Self.t0 + 999).endsAt == Self.t0 + 120)

            let open1 = try await store.startSessionRecording(channelID: channel.id, title: "live 19:00", at: Self.t0 + 3600)
            let open2 = try await store.startSessionRecording(channelID: channel.id, title: "live 20:00", at: Self.t0 + 7200)
            #expect(try await store.finishOpenSessionRecordings(channelID: channel.id, at: Self.t0 + 5000) == 2)
            #expect(try await store.recording(id: open1.id)?.endsAt == Self.t0 + 5000)
            // Never before its start.
            #expect(try await store.recording(id: open2.id)?.endsAt == Self.t0 + 7200)
            #expect(try await store.finishOpenSessionRecordings(channelID: channel.id, at: Self.t0 + 9000) == 0)

            let api = try await store.createRecording(
                channel: channel.id, NewRecording(title: "api", startsAt: Self.t0, endsAt: Self.t0 + 10), scope: orgs.scopeA
            )
            let notSession = await controlError { _ = try await store.finishSessionRecording(id: api.id, at: Self.t0) }
            #expect(notSession == .conflict("recording \(api.id) is not a session recording"))
            let unknownChannel = await controlError { _ = try await store.startSessionRecording(channelID: UUID(), title: "x", at: Self.t0) }
            #expect(unknownChannel == .notFound("channel"))
            let unknown = await controlError { _ = try await store.finishSessionRecording(id: UUID(), at: Self.t0) }
            #expect(unknown == .notFound("recording"))
        }
    }

    @Test("pinned ranges: retained recordings (open ones up to now) and clips not failed, merged", arguments: Backend.allCases)
    func pinnedRanges(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "pins"), scope: orgs.scopeA)
            let other = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "other"), scope: orgs.scopeA)
            let t0 = Self.t0
            _ = try await store.createRecording(channel: channel.id, NewRecording(title: "a", startsAt: t0, endsAt: t0 + 100), scope: orgs.scopeA)
            _ = try await store.createRecording(channel: channel.id, NewRecording(title: "b", startsAt: t0 + 50, endsAt: t0 + 200), scope: orgs.scopeA)
            _ = try await store.createRecording(
                channel: channel.id, NewRecording(title: "unretained", startsAt: t0 + 1000, endsAt: t0 + 1100, retain: false), scope: orgs.scopeA
            )
            _ = try await store.createRecording(channel: other.id, NewRecording(title: "elsewhere", startsAt: t0, endsAt: t0 + 5000), scope: orgs.scopeA)
            // A session recording is not retained unless asked; once retained, it pins up to now while open.
            let session = try await store.startSessionRecording(channelID: channel.id, title: "session", at: t0 + 3000)
            #expect(try await store.pinnedRanges(channelID: channel.id, now: t0 + 3500) == [t0...(t0 + 200)])
            _ = try await store.updateRecording(id: session.id, RecordingUpdate(retain: true), scope: orgs.scopeA)

            let clipped = try await store.createClip(
                channel: channel.id, NewClip(start: .time(t0 + 2000), duration: 30), scope: orgs.scopeA
            )
            let failed = try await store.createClip(
                channel: channel.id, NewClip(start: .time(t0 + 2500), duration: 30), scope: orgs.scopeA
            )
            try await store.failClip(id: failed.id, reason: "no segments", at: t0 + 3000)
            #expect(try await store.pinnedRanges(channelID: channel.id, now: t0 + 3500) == [
                t0...(t0 + 200), (t0 + 2000)...(t0 + 2030), (t0 + 3000)...(t0 + 3500),
            ])
            try await store.finishSessionRecording(id: session.id, at: t0 + 4000)
            try await store.deleteClip(id: clipped.id, scope: orgs.scopeA)
            #expect(try await store.pinnedRanges(channelID: channel.id, now: t0 + 9000) == [t0...(t0 + 200), (t0 + 3000)...(t0 + 4000)])
        }
    }

    @Test("retention deletes the unretained recordings that ended before the cut-off", arguments: Backend.allCases)
    func expiry(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "expiry"), scope: orgs.scopeA)
            let t0 = Self.t0
            let old = try await store.startSessionRecording(channelID: channel.id, title: "old", at: t0)
            try await store.finishSessionRecording(id: old.id, at: t0 + 100)
            let straddling = try await store.startSessionRecording(channelID: channel.id, title: "straddling", at: t0 + 200)
            try await store.finishSessionRecording(id: straddling.id, at: t0 + 2000)
            let open = try await store.startSessionRecording(channelID: channel.id, title: "open", at: t0 + 300)
            let kept = try await store.createRecording(
                channel: channel.id, NewRecording(title: "kept", startsAt: t0, endsAt: t0 + 100), scope: orgs.scopeA
            )
            let clip = try await store.createClip(
                channel: channel.id, NewClip(start: .recording(old.id, offset: 10), duration: 20), scope: orgs.scopeA
            )
            #expect(clip.recordingID == old.id)

            #expect(try await store.deleteExpiredRecordings(channelID: channel.id, endedBefore: t0 + 1000) == 1)
            #expect(try await store.recording(id: old.id) == nil)
            #expect(try await store.recording(id: straddling.id) != nil)
            #expect(try await store.recording(id: open.id) != nil)
            #expect(try await store.recording(id: kept.id) != nil)
            // The clip outlives its recording.
            let orphan = try #require(try await store.clip(id: clip.id, scope: orgs.scopeA))
            #expect(orphan.recordingID == nil)
            #expect(orphan.start == t0 + 10)
            #expect(try await store.deleteExpiredRecordings(channelID: channel.id, endedBefore: t0 + 1000) == 0)
        }
    }
}
