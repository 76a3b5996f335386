import AntenneServer
import Control
import Foundation
import Manifests
import Testing
import TestSupport

/// Recordings and clips (issue "Time-shift and replay", items 4 and 5), on disk and on S3: a
/// publish session becomes a recording with a VOD, clips are cut from a time or from the
/// recording, announced by `clip.ready`, downloaded as faststart MP4s that ffprobe plays, and
/// everything is still there after a restart.
@Suite(.serialized) struct ReplayTests {
    static func waitForClip(_ store: ControlStore, _ id: UUID, scope: Scope) async throws -> Clip {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let clip = try #require(try await store.clip(id: id, scope: scope))
            if clip.status == .ready || clip.status == .failed { return clip }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("clip \(id) not made in 60 s")
    }

    static func probe(_ url: String) async throws -> (duration: Double, streams: [String], output: String) {
        let (status, output) = try await ChildProcess.run("ffprobe", [
            "-v", "error", "-show_entries", "format=duration:stream=codec_name", "-of", "default=nw=1", url,
        ])
        #expect(status == 0, "\(output)")
        let duration = output.split(separator: "\n").first { $0.hasPrefix("duration=") }.flatMap { Double($0.dropFirst(9)) } ?? 0
        let streams = output.split(separator: "\n").filter { $0.hasPrefix("codec_name=") }.map { String($0.dropFirst(11)) }
        return (duration, streams, output)
    }

    @Test(arguments: ArchiveBackend.allCases)
    func recordingsAndClips(_ backend: ArchiveBackend) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-replay-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var archive = ServerConfiguration()
        try await backend.configure(&archive, directory: directory.appendingPathComponent("archive"))
        let configured = archive
        let setUp: (inout ServerConfiguration) -> Void = {
            $0.dataDirectory = directory.appendingPathComponent("data").path
            $0.archiveLocation = configured.archiveLocation
            $0.s3Endpoint = configured.s3Endpoint
            $0.environment = configured.environment
            $0.clipSweepInterval = .seconds(1)
        }
        let receiver = try await WebhookReceiver.start()
        var server = try await TestServer.start(channels: [], configure: setUp)
        var store = try #require(server.server.controlStore)
        let organisation = try await store.createOrganisation(name: "Replays", scope: .serverAdmin)
        let scope = Scope.serverAdmin
        let channel = try await store.createChannel(
            organisation: organisation.id, NewChannel(name: "replay1", archive: ArchiveSettings(enabled: true)), scope: scope)
        let key = try await store.createStreamKey(channel: channel.id, label: "main", scope: scope)
        _ = try await store.createWebhook(organisation: organisation.id, NewWebhook(url: receiver.url, events: [.clipReady]), scope: scope)

        let publisher = try Publisher.start(url: server.publishURL(key: key.secret.value), seconds: 24)
        #expect(await publisher.wait(timeout: .seconds(90)) == 0, "\(publisher.text)")
        let running = server
        try await WebhookDeliveryTests.waitUntil(timeout: .seconds(10)) { running.server.archiveStatistics.pending == 0 }

        // The session is a recording, closed when the stream stopped.
        var listed: Recording?
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            listed = try await store.recordings(channel: channel.id, scope: scope).items.first
            if listed?.endsAt != nil { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let recording = try #require(listed)
        #expect(recording.origin == .session && !recording.retain)
        let recorded = try #require(recording.endsAt).timeIntervalSince(recording.startsAt)
        // 24 s published; a loaded machine starts the test encoder a little late.
        #expect((18...28).contains(recorded), "\(recorded) s")
        let vodPath = "vod/\(recording.id.uuidString.lowercased())/master.m3u8"
        let vod = server.url(vodPath)
        let master = try await HTTP.get(vod)
        #expect(master.status == 200, "\(master.text)")
        #expect(master.text.contains("../../hls/replay1/source/index.m3u8?start="), "\(master.text)")
        let session = try await Self.probe(vod)
        #expect(abs(session.duration - recorded) < 4, "VOD \(session.duration) s of a \(recorded) s session")

        // A clip of 8 s from 6 s in, and one of 6 s from the recording at 12 s.
        let fromTime = try await store.createClip(
            channel: channel.id, NewClip(start: .time(recording.startsAt.addingTimeInterval(6)), duration: 8), scope: scope)
        let fromRecording = try await store.createClip(
            channel: channel.id, NewClip(start: .recording(recording.id, offset: 12), duration: 6), scope: scope)
        for (clip, seconds) in [(fromTime, 8.0), (fromRecording, 6.0)] {
            let made = try await Self.waitForClip(store, clip.id, scope: scope)
            #expect(made.status == .ready, "\(made.error ?? "")")
            let url = server.url(String(made.downloadPath.dropFirst()))
            let probed = try await Self.probe(url)
            #expect(probed.streams.sorted() == ["aac", "h264"], "\(probed.output)")
            // Cut on key frames: within one GOP (2 s) of the request.
            #expect(abs(probed.duration - seconds) <= 2.1, "\(probed.duration) s for \(seconds) s")
            let file = try await HTTP.get(url)
            #expect(file.status == 200 && Int64(file.body.count) == made.size)
            // Faststart: ftyp, then moov, before any media.
            #expect(file.body.count > 16 && String(decoding: file.body[4..<8], as: UTF8.self) == "ftyp")
            let ftypSize = file.body[0..<4].reduce(0) { $0 << 8 | Int($1) }
            #expect(String(decoding: file.body[(ftypSize + 4)..<(ftypSize + 8)], as: UTF8.self) == "moov")
            let range = try await HTTP.get(url, headers: ["Range": "bytes=100-199"])
            #expect(range.status == 206 && range.body == file.body[100..<200])
            let (decoded, errors) = try await ChildProcess.run("ffmpeg", ["-hide_banner", "-v", "error", "-nostdin", "-i", url, "-f", "null", "-"])
            #expect(decoded == 0 && errors.isEmpty, "\(errors)")
            // Its playlist plays the same range from the archive.
            let playlist = try await Self.probe(server.url(String(made.playlistPath.dropFirst())))
            #expect(abs(playlist.duration - seconds) <= 4.1, "\(playlist.duration) s")
            let ready = try await receiver.waitFor { $0.body.contains(clip.id.uuidString.lowercased()) }
            #expect(ready.header("Antenne-Event") == "clip.ready")
            #expect(ready.body.contains("\"status\":\"ready\""), "\(ready.body)")
        }
        // A clip of a time with nothing archived fails, and says so.
        let empty = try await store.createClip(
            channel: channel.id, NewClip(start: .time(recording.startsAt.addingTimeInterval(-600)), duration: 5), scope: scope)
        let failed = try await Self.waitForClip(store, empty.id, scope: scope)
        #expect(failed.status == .failed && failed.error?.contains("nothing archived") == true, "\(failed)")
        #expect(try await HTTP.get(server.url("clips/\(empty.id.uuidString.lowercased()).mp4")).status == 404)

        // A restart keeps recordings, clips and their media.
        try await server.stop()
        server = try await TestServer.start(channels: [], configure: setUp)
        store = try #require(server.server.controlStore)
        #expect(try await HTTP.get(server.url(vodPath)).status == 200)
        #expect(try await HTTP.get(server.url(String(fromTime.downloadPath.dropFirst()))).status == 200)
        #expect(try await HTTP.get(server.url("vod/\(UUID().uuidString.lowercased())/master.m3u8")).status == 404)
        #expect(try await HTTP.get(server.url("clips/../etc/passwd.mp4")).status == 404)

        // A deleted clip's file goes from the archive too.
        try await store.deleteClip(id: fromRecording.id, scope: scope)
        #expect(try await HTTP.get(server.url(String(fromRecording.downloadPath.dropFirst()))).status == 404)
        if backend == .disk {
            let file = directory.appendingPathComponent("archive/replay1/Clips/\(fromRecording.id.uuidString.lowercased()).mp4").path
            let kept = directory.appendingPathComponent("archive/replay1/Clips/\(fromTime.id.uuidString.lowercased()).mp4").path
            let deadline = ContinuousClock.now + .seconds(20)
            while FileManager.default.fileExists(atPath: file), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(!FileManager.default.fileExists(atPath: file), "the sweep removes it")
            #expect(FileManager.default.fileExists(atPath: kept), "and only it")
        }
        try await server.stop()
        await receiver.stop()
    }
}
