import AntenneServer
import Control
import Foundation
import Testing
import Transcoder

/// Control plane, webhooks (issue "Control plane", item 5: `transcoder.failed` and
/// `channel.unhealthy`): real ffmpeg publishes to a control-plane channel, and a receiver gets the
/// signed events when the video stops while the encoder stays, and when the channel's FFmpeg is
/// killed.
@Suite(.serialized) struct HealthWebhookTests {
    /// An encoder whose video ends after `videoSeconds` while its audio goes on: the RTMP
    /// connection stays, audio tags keep coming, video tags stop.
    static func publishVideoThatStops(url: String, videoSeconds: Int) throws -> ChildProcess {
        try ChildProcess("ffmpeg", [
            "-hide_banner", "-loglevel", "error", "-nostdin",
            "-re", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30:duration=\(videoSeconds)",
            "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "30",
            "-c:a", "aac", "-b:a", "64k", "-f", "flv", url,
        ])
    }

    static func json(_ received: WebhookReceiver.Received) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(received.body.utf8)) as? [String: Any])
    }

    @Test func videoThatStopsWhileTheEncoderStaysSendsChannelUnhealthy() async throws {
        let receiver = try await WebhookReceiver.start()
        let server = try await TestServer.start(channels: []) { $0.channelHealth.noVideoTimeout = .seconds(3) }
        let store = try #require(server.server.controlStore)
        let organisation = try await store.createOrganisation(name: "Unwell", scope: .serverAdmin)
        let channel = try await store.createChannel(organisation: organisation.id, NewChannel(name: "unwell1"), scope: .serverAdmin)
        let key = try await store.createStreamKey(channel: channel.id, label: "main", scope: .serverAdmin)
        let hook = try await store.createWebhook(
            organisation: organisation.id, NewWebhook(url: receiver.url, events: [.channelUnhealthy, .streamStopped]),
            scope: .serverAdmin)

        let publisher = try Self.publishVideoThatStops(url: server.publishURL(key: key.secret.value), videoSeconds: 4)
        defer { publisher.kill() }
        let unhealthy = try await receiver.waitFor(timeout: .seconds(60)) { $0.header("Antenne-Event") == "channel.unhealthy" }
        #expect(publisher.isRunning, "the encoder is still connected: \(publisher.text)")
        let signature = try #require(unhealthy.header("Antenne-Signature"))
        #expect(WebhookSignature.verify(header: signature, body: unhealthy.body, secret: hook.secret.value))

        let json = try Self.json(unhealthy)
        #expect(json["type"] as? String == "channel.unhealthy")
        #expect(json["organisationId"] as? String == organisation.id.uuidString)
        #expect((json["channel"] as? [String: Any])?["name"] as? String == "unwell1")
        let detail = try #require(json["detail"] as? [String: Any], "\(unhealthy.body)")
        #expect(detail["healthy"] as? Bool == false)
        #expect(detail["reason"] as? String == "no-video")
        let seconds = try #require(detail["secondsWithoutVideo"] as? Int)
        #expect((3...5).contains(seconds), "\(seconds)")

        // Once per episode: the audio goes on, and nothing more is sent until the encoder leaves.
        // (A loaded machine can stall the test encoder's video early on: that is an episode of its
        // own, reported and recovered; never two alerts in a row.)
        try await Task.sleep(for: .seconds(3))
        publisher.kill()
        let stopped = try await receiver.waitFor { $0.header("Antenne-Event") == "stream.stopped" }
        #expect(!stopped.body.contains("detail"), "stream.* payloads are unchanged")
        let episodes = try receiver.received.filter { $0.header("Antenne-Event") == "channel.unhealthy" }.map { received in
            try #require((try Self.json(received)["detail"] as? [String: Any])?["healthy"] as? Bool)
        }
        #expect(episodes.last == false, "the stop of the video is the last word: \(episodes)")
        #expect(zip(episodes, episodes.dropFirst()).allSatisfy { $0 != $1 }, "alerts and recoveries alternate: \(episodes)")
        try await server.stop()
        await receiver.stop()
    }

    /// Each kill is a failure in a row: the 1st and 2nd are sent, the 3rd is throttled (only
    /// powers of two are), though FFmpeg restarts every time.
    @Test func aKilledFFmpegSendsTranscoderFailed() async throws {
        let receiver = try await WebhookReceiver.start()
        let server = try await TestServer.start(channels: [])
        let store = try #require(server.server.controlStore)
        let organisation = try await store.createOrganisation(name: "Crashy", scope: .serverAdmin)
        let ladder = #"{"rungs":[{"name":"180p","width":320,"height":180,"videoBitrate":"300k","preset":"ultrafast"}]}"#
        let channel = try await store.createChannel(
            organisation: organisation.id, NewChannel(name: "crashy1", ladder: ladder), scope: .serverAdmin)
        let key = try await store.createStreamKey(channel: channel.id, label: "main", scope: .serverAdmin)
        let hook = try await store.createWebhook(
            organisation: organisation.id, NewWebhook(url: receiver.url, events: [.transcoderFailed]), scope: .serverAdmin)

        let publisher = try Publisher.start(url: server.publishURL(key: key.secret.value))
        defer { publisher.kill() }
        var failures: [WebhookReceiver.Received] = []
        for kill in 1...3 {
            let pid = try await Self.runningFFmpeg(server, channel: "crashy1", restarts: kill - 1)
            Foundation.kill(pid, SIGKILL)
            if kill < 3 {
                let seen = failures.map(\.body)
                failures.append(try await receiver.waitFor { $0.header("Antenne-Event") == "transcoder.failed" && !seen.contains($0.body) })
            }
        }
        _ = try await Self.runningFFmpeg(server, channel: "crashy1", restarts: 3)
        #expect(receiver.received.count == 2, "the third failure in a row is not sent")

        for (attempt, failure) in zip(1..., failures) {
            #expect(WebhookSignature.verify(header: try #require(failure.header("Antenne-Signature")), body: failure.body, secret: hook.secret.value))
            let json = try Self.json(failure)
            #expect(json["type"] as? String == "transcoder.failed")
            #expect((json["channel"] as? [String: Any])?["id"] as? String == channel.id.uuidString)
            let detail = try #require(json["detail"] as? [String: Any], "\(failure.body)")
            #expect(detail["reason"] as? String == "killed")
            #expect(detail["signal"] as? Int == 9)
            #expect(detail["exitStatus"] == nil)
            #expect(detail["restartAttempt"] as? Int == attempt)
            #expect(detail["restartInMs"] as? Int == [500, 1_000][attempt - 1])
        }
        try await server.stop()
        await receiver.stop()
    }

    /// The pid of the channel's FFmpeg, once it runs after `restarts` restarts.
    static func runningFFmpeg(_ server: TestServer, channel: String, restarts: Int) async throws -> Int32 {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let transcoder = server.server.transcoders.first(where: { $0.name == channel }) {
                let status = transcoder.status
                if status.running, status.restarts == restarts, let pid = status.pid { return pid }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HealthTestError.ffmpegNotRunning(restarts: restarts)
    }

    enum HealthTestError: Error {
        case ffmpegNotRunning(restarts: Int)
    }
}
