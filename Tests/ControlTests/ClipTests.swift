import Control
import Foundation
import Testing
import TestSupport

@Suite("Clips")
struct ClipTests {
    /// In the past: a clip must be over when it is asked for.
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("clips by time and by recording, listed, read and deleted", arguments: Backend.allCases)
    func create(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "match"), scope: orgs.scopeA)
            let byTime = try await store.createClip(
                channel: channel.id, NewClip(start: .time(Self.t0), duration: 12.3456, rendition: "720p", title: "Goal"), scope: orgs.scopeA
            )
            #expect(byTime.status == .pending)
            #expect(byTime.progress == 0)
            #expect(byTime.start == Self.t0)
            #expect(byTime.duration == 12.346)
            #expect(byTime.rendition == "720p")
            #expect(byTime.title == "Goal")
            #expect(byTime.recordingID == nil)
            #expect(byTime.size == nil && byTime.error == nil && byTime.readyAt == nil)
            #expect(byTime.downloadPath == "/clips/\(byTime.id.uuidString.lowercased()).mp4")
            #expect(byTime.playlistPath == "/clips/\(byTime.id.uuidString.lowercased())/master.m3u8")

            let recording = try await store.createRecording(
                channel: channel.id, NewRecording(title: "First half", startsAt: Self.t0, endsAt: Self.t0 + 2700), scope: orgs.scopeA
            )
            let byRecording = try await store.createClip(
                channel: channel.id, NewClip(start: .recording(recording.id, offset: 600), duration: 2100), scope: orgs.scopeA
            )
            #expect(byRecording.start == Self.t0 + 600)
            #expect(byRecording.end == Self.t0 + 2700)
            #expect(byRecording.recordingID == recording.id)
            #expect(byRecording.rendition == nil)

            #expect(try await store.clips(channel: channel.id, scope: orgs.scopeA).items == [byTime, byRecording])
            #expect(try await store.clip(id: byTime.id, scope: orgs.scopeA) == byTime)
            let job = try #require(try await store.clip(id: byTime.id))
            #expect(job == ClipJob(clip: byTime, channelName: "match", organisationID: orgs.a.id))

            try await store.deleteClip(id: byTime.id, scope: orgs.scopeA)
            #expect(try await store.clip(id: byTime.id) == nil)
            let again = await controlError { try await store.deleteClip(id: byTime.id, scope: orgs.scopeA) }
            #expect(again == .notFound("clip"))
        }
    }

    @Test("a clip's duration, rendition, title and range are checked", arguments: Backend.allCases)
    func validation(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "v"), scope: orgs.scopeA)
            let other = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "w"), scope: orgs.scopeA)
            let recording = try await store.createRecording(
                channel: channel.id, NewRecording(title: "r", startsAt: Self.t0, endsAt: Self.t0 + 60), scope: orgs.scopeA
            )
            let elsewhere = try await store.createRecording(
                channel: other.id, NewRecording(title: "r", startsAt: Self.t0, endsAt: Self.t0 + 60), scope: orgs.scopeA
            )
            func error(_ clip: NewClip) async -> ControlError? {
                await controlError { _ = try await store.createClip(channel: channel.id, clip, scope: orgs.scopeA) }
            }
            let duration = ControlError.invalid(field: "duration", reason: "must be 1...10800 seconds")
            #expect(await error(NewClip(start: .time(Self.t0), duration: 0.5)) == duration)
            #expect(await error(NewClip(start: .time(Self.t0), duration: 10_801)) == duration)
            #expect(await error(NewClip(start: .time(Self.t0), duration: .nan)) == duration)
            #expect(await error(NewClip(start: .time(Self.t0), duration: 5, rendition: "1080P"))
                == .invalid(field: "rendition", reason: "must be 1...32 of a-z, 0-9, '_' and '-'"))
            #expect(await error(NewClip(start: .time(Self.t0), duration: 5, title: "")) == .invalid(field: "title", reason: "must be 1...200 characters"))
            #expect(await error(NewClip(start: .time(Date() + 3600), duration: 5))
                == .invalid(field: "start", reason: "the clip must be over: start + duration is later than now"))
            #expect(await error(NewClip(start: .recording(recording.id, offset: -1), duration: 5))
                == .invalid(field: "offset", reason: "must be a number of seconds, 0 or more"))
            #expect(await error(NewClip(start: .recording(recording.id, offset: 50), duration: 11))
                == .invalid(field: "duration", reason: "offset + duration must lie within the recording (60 s long)"))
            #expect(await error(NewClip(start: .recording(elsewhere.id, offset: 0), duration: 5))
                == .invalid(field: "recording", reason: "not a recording of this channel"))
            #expect(await error(NewClip(start: .recording(UUID(), offset: 0), duration: 5))
                == .invalid(field: "recording", reason: "not a recording of this channel"))
            let readOnly = await controlError {
                _ = try await store.createClip(channel: channel.id, NewClip(start: .time(Self.t0), duration: 5), scope: .organisation(orgs.a.id, .readOnly))
            }
            #expect(readOnly == .forbidden("a read-only token cannot change anything"))
            #expect(try await store.clips(channel: channel.id, scope: orgs.scopeA).items.isEmpty)
        }
    }

    @Test("another organisation reads and deletes none of a channel's clips", arguments: Backend.allCases)
    func isolation(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "a"), scope: orgs.scopeA)
            let clip = try await store.createClip(channel: channel.id, NewClip(start: .time(Self.t0), duration: 5), scope: orgs.scopeA)
            #expect(try await store.clip(id: clip.id, scope: orgs.scopeB) == nil)
            let list = await controlError { _ = try await store.clips(channel: channel.id, scope: orgs.scopeB) }
            #expect(list == .notFound("channel"))
            let create = await controlError {
                _ = try await store.createClip(channel: channel.id, NewClip(start: .time(Self.t0), duration: 5), scope: orgs.scopeB)
            }
            #expect(create == .notFound("channel"))
            let delete = await controlError { try await store.deleteClip(id: clip.id, scope: orgs.scopeB) }
            #expect(delete == .notFound("clip"))
            #expect(try await store.clip(id: clip.id, scope: orgs.scopeA) == clip)
        }
    }

    @Test("two servers on one database claim each pending clip once; a dead server's claim is taken again", arguments: Backend.allCases)
    func claimsAreExclusive(_ backend: Backend) async throws {
        try await withLocation(backend) { location in
            let first = try await ControlStore.open(database: location, logger: testLogger)
            let second = try await ControlStore.open(database: location, logger: testLogger)
            let organisation = try await first.createOrganisation(name: "Claims", scope: .serverAdmin)
            let channel = try await first.createChannel(organisation: organisation.id, NewChannel(name: "claims"), scope: .serverAdmin)
            var queued: Set<UUID> = []
            for index in 0..<40 {
                let clip = try await first.createClip(
                    channel: channel.id, NewClip(start: .time(Self.t0 + Double(index)), duration: 5), scope: .serverAdmin
                )
                queued.insert(clip.id)
            }
            let now = Date()
            async let a = first.claimPendingClips(limit: 200, now: now, lease: 60)
            async let b = second.claimPendingClips(limit: 200, now: now, lease: 60)
            let (jobsA, jobsB) = try await (a, b)
            let (claimedA, claimedB) = (Set(jobsA.map(\.clip.id)), Set(jobsB.map(\.clip.id)))
            #expect(claimedA.isDisjoint(with: claimedB), "\(claimedA.intersection(claimedB).count) clips claimed twice")
            #expect(claimedA.union(claimedB) == queued)
            #expect((jobsA + jobsB).allSatisfy { $0.clip.status == .processing && $0.channelName == "claims" })

            // Claimed: not taken while the lease runs; taken again after it, as if the server had died.
            #expect(try await first.claimPendingClips(limit: 200, now: now + 30, lease: 60).isEmpty)
            let retaken = try await second.claimPendingClips(limit: 200, now: now + 61, lease: 60)
            #expect(Set(retaken.map(\.clip.id)) == queued)
            // A progress report renews the lease.
            let renewed = try #require(retaken.first?.clip.id)
            try await first.updateClipProgress(id: renewed, progress: 0.5, now: now + 100, lease: 60)
            #expect(try await first.claimPendingClips(limit: 200, now: now + 130, lease: 60).map(\.clip.id).contains(renewed) == false)
            await first.shutdown()
            await second.shutdown()
        }
    }

    @Test("progress, then ready or failed, each queueing a clip.ready delivery once", arguments: Backend.allCases)
    func jobLifecycle(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let hook = try await store.createWebhook(
                organisation: orgs.a.id, NewWebhook(url: "https://hooks.example/clips", events: [.clipReady]), scope: orgs.scopeA
            )
            _ = try await store.createWebhook(
                organisation: orgs.a.id, NewWebhook(url: "https://hooks.example/streams", events: [.streamStarted]), scope: orgs.scopeA
            )
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "cup"), scope: orgs.scopeA)
            let good = try await store.createClip(channel: channel.id, NewClip(start: .time(Self.t0), duration: 5), scope: orgs.scopeA)
            let bad = try await store.createClip(channel: channel.id, NewClip(start: .time(Self.t0), duration: 5), scope: orgs.scopeA)
            let now = Date()
            #expect(try await store.claimPendingClips(limit: 10, now: now, lease: 300).count == 2)

            let half = try await store.updateClipProgress(id: good.id, progress: 0.5)
            #expect(half.progress == 0.5)
            #expect(try await store.updateClipProgress(id: good.id, progress: 0.25).progress == 0.5)
            let outOfRange = await controlError { _ = try await store.updateClipProgress(id: good.id, progress: 1.5) }
            #expect(outOfRange == .invalid(field: "progress", reason: "must be 0...1"))

            let readyAt = Self.t0 + 100
            let ready = try await store.finishClip(id: good.id, size: 1_048_576, at: readyAt)
            #expect(ready.status == .ready)
            #expect(ready.size == 1_048_576)
            #expect(ready.progress == 1)
            #expect(ready.readyAt == readyAt)
            // Finishing again (a second server whose lease ran out) changes and queues nothing.
            #expect(try await store.finishClip(id: good.id, size: 7, at: readyAt + 1) == ready)
            #expect(try await store.updateClipProgress(id: good.id, progress: 0.1) == ready)

            let failed = try await store.failClip(id: bad.id, reason: String(repeating: "e", count: 5_000), at: readyAt)
            #expect(failed.status == .failed)
            #expect(failed.error?.count == ControlLimits.clipErrorLength)
            #expect(failed.readyAt == nil)
            #expect(try await store.claimPendingClips(limit: 10, now: now + 3600, lease: 300).isEmpty)

            let deliveries = try await store.deliveries(webhook: hook.webhook.id, scope: orgs.scopeA).items
            #expect(deliveries.count == 2)
            #expect(deliveries.allSatisfy { $0.event == .clipReady })
            let payloads = try deliveries.map { try JSONSerialization.jsonObject(with: Data($0.payload.utf8)) as? [String: Any] ?? [:] }
            let readyPayload = try #require(payloads.first { ($0["clip"] as? [String: Any])?["status"] as? String == "ready" })
            #expect(readyPayload["type"] as? String == "clip.ready")
            #expect(readyPayload["organisationId"] as? String == orgs.a.id.uuidString.lowercased())
            #expect(readyPayload["createdAt"] as? String == "2023-11-14T22:15:00.000Z")
            #expect((readyPayload["id"] as? String)?.count == 36)
            let channelRef = try #require(readyPayload["channel"] as? [String: Any])
            #expect(channelRef["id"] as? String == channel.id.uuidString.lowercased())
            #expect(channelRef["name"] as? String == "cup")
            let clipRef = try #require(readyPayload["clip"] as? [String: Any])
            #expect(clipRef["id"] as? String == good.id.uuidString.lowercased())
            #expect(clipRef["size"] as? Int == 1_048_576)
            #expect(clipRef["error"] is NSNull)
            #expect(clipRef["downloadPath"] as? String == good.downloadPath)
            #expect(clipRef["playlistPath"] as? String == good.playlistPath)
            let failedPayload = try #require(payloads.first { ($0["clip"] as? [String: Any])?["status"] as? String == "failed" })
            let failedRef = try #require(failedPayload["clip"] as? [String: Any])
            #expect(failedRef["size"] is NSNull)
            #expect((failedRef["error"] as? String)?.count == ControlLimits.clipErrorLength)

            let gone = await controlError { _ = try await store.finishClip(id: UUID(), size: 1) }
            #expect(gone == .notFound("clip"))
        }
    }
}
