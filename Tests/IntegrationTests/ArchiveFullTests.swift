import AntenneServer
import Control
import Foundation
import Manifests
import Testing

/// Store failures (issue "Time-shift and replay", item 7): the archive lives on a 1 MiB tmpfs
/// that a publish fills within seconds. Live playback goes on, what was written stays readable,
/// `/metrics` and a `channel.unhealthy` webhook say so, and once there is room again the writes
/// resume and the webhook says that too.
@Suite(.serialized) struct ArchiveFullTests {
    @Test func aFullDiskKeepsLiveGoingAndTheArchiveReadable() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (mounted, mountOutput) = try await ChildProcess.run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", directory.path])
        try #require(mounted == 0, "this test mounts a tmpfs and needs root: \(mountOutput)")
        defer {
            _ = try? Process.run(URL(fileURLWithPath: "/bin/umount"), arguments: ["-l", directory.path]).waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
        }

        let receiver = try await WebhookReceiver.start()
        let server = try await TestServer.start(channels: []) { $0.archiveLocation = directory.path }
        let store = try #require(server.server.controlStore)
        let organisation = try await store.createOrganisation(name: "Full", scope: .serverAdmin)
        let channel = try await store.createChannel(
            organisation: organisation.id, NewChannel(name: "full1", archive: ArchiveSettings(enabled: true)), scope: .serverAdmin)
        let key = try await store.createStreamKey(channel: channel.id, label: "main", scope: .serverAdmin)
        _ = try await store.createWebhook(
            organisation: organisation.id, NewWebhook(url: receiver.url, events: [.channelUnhealthy]), scope: .serverAdmin)
        let publisher = try Publisher.start(url: server.publishURL(key: key.secret.value))
        defer { publisher.kill() }

        let unhealthy = try await receiver.waitFor(timeout: .seconds(90)) { $0.header("Antenne-Event") == "channel.unhealthy" }
        let detail = try #require(try HealthWebhookTests.json(unhealthy)["detail"] as? [String: Any], "\(unhealthy.body)")
        #expect(detail["healthy"] as? Bool == false)
        #expect(detail["reason"] as? String == "archive-full", "\(unhealthy.body)")
        #expect((detail["error"] as? String)?.contains("No space left") == true, "\(unhealthy.body)")
        #expect(try await HTTP.get(server.url("metrics")).text.contains("\nantenne_archive_failing 1.0\n"))

        // Live goes on: the playlist moves and its newest segment is served.
        let before = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/full1/source/index.m3u8")).text)
        try await Task.sleep(for: .seconds(5))
        let after = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/full1/source/index.m3u8")).text)
        #expect(after.mediaSequence + Int64(after.segments.count) > before.mediaSequence + Int64(before.segments.count))
        let newest = try #require(after.segments.last)
        #expect(try await HTTP.get(server.url("hls/full1/source/\(newest.uri)")).status == 200)

        // What reached the disk plays: a catch-up of the last minute lists it, and it decodes.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let query = "start=\(TimeShiftTests.iso(now - 60_000))&end=\(TimeShiftTests.iso(now))"
        let archived = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/full1/source/index.m3u8?\(query)")).text)
        #expect(!archived.segments.isEmpty)
        let (status, output) = try await ChildProcess.run("ffmpeg", [
            "-hide_banner", "-v", "error", "-nostdin", "-i", server.url("hls/full1/source/index.m3u8?\(query)"), "-f", "null", "-",
        ], timeout: .seconds(60))
        #expect(status == 0, "\(output.suffix(2_000))")

        // Room again: the writes resume, and the channel is reported healthy.
        let (grown, growOutput) = try await ChildProcess.run("mount", ["-o", "remount,size=256m", directory.path])
        #expect(grown == 0, "\(growOutput)")
        let healthy = try await receiver.waitFor(timeout: .seconds(90)) { received in
            received.header("Antenne-Event") == "channel.unhealthy" && received.body.contains("\"healthy\":true")
        }
        #expect(healthy.body.contains("\"reason\":\"archive\""), "\(healthy.body)")
        #expect(try await HTTP.get(server.url("metrics")).text.contains("\nantenne_archive_failing 0.0\n"))
        publisher.kill()
        try await server.stop()
        await receiver.stop()
    }
}
