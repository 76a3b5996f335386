import AntenneServer
import Control
import Foundation
import Testing
import TestSupport

/// Ad and programme markers (issue 18, item 5), end to end: real ffmpeg publishes over RTMP with a
/// key frame every second; an ad break asked for through the API starts a segment of its own on
/// the first key frame at or after its time (off the 2 s grid), is listed as EXT-X-DATERANGE with
/// SCTE-35 cues on that segment, is an SCTE-35 event of the MPD at that instant, and is sent as a
/// `channel.marker` webhook. The archive keeps it with its segments: a catch-up playlist of the
/// break lists the same tags, its static MPD the same event.
@Suite(.serialized) struct MarkerIntegrationTests {
    static let adminToken = "marker-admin-token-0123456789abcdef"

    /// 640x360 30 fps H.264 with a key frame every second (on the media second), AAC.
    static func publish(_ url: String) throws -> ChildProcess {
        try ChildProcess("ffmpeg", [
            "-hide_banner", "-loglevel", "error", "-nostdin",
            "-re", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
            "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-bf", "0",
            "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-b:v", "600k",
            "-c:a", "aac", "-b:a", "96k", "-ac", "2", "-f", "flv", url,
        ])
    }

    static func post(_ server: TestServer, _ path: String, _ body: [String: Any]) async throws -> HTTPResult {
        try await HTTP.get(
            server.url("api/v1/\(path)"), method: "POST",
            headers: ["Authorization": "Bearer \(adminToken)", "Content-Type": "application/json"],
            body: try JSONSerialization.data(withJSONObject: body))
    }

    static func date(_ text: some StringProtocol) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: String(text))
    }

    /// The value of `name` in an attribute-list line.
    static func attribute(_ name: String, in line: String) -> String? {
        guard let range = line.range(of: "\(name)=") else { return nil }
        var value = line[range.upperBound...]
        if value.first == "\"" {
            value = value.dropFirst()
            return String(value.prefix { $0 != "\"" })
        }
        return String(value.prefix { $0 != "," })
    }

    @Test func anAPIMarkerIsADateRangeAnMPDEventAndAWebhookOnItsOwnSegment() async throws {
        let receiver = try await WebhookReceiver.start()
        let server = try await TestServer.start(channels: []) { $0.adminToken = Self.adminToken }
        let store = try #require(server.server.controlStore)
        let organisation = try await store.createOrganisation(name: "TV", scope: .serverAdmin)
        let channel = try await store.createChannel(organisation: organisation.id, NewChannel(name: "marked1", archive: ArchiveSettings(enabled: true)), scope: .serverAdmin)
        let key = try await store.createStreamKey(channel: channel.id, label: "main", scope: .serverAdmin)
        _ = try await store.createWebhook(
            organisation: organisation.id, NewWebhook(url: receiver.url, events: [.channelMarker]), scope: .serverAdmin)
        let markers = "channels/\(channel.id.uuidString.lowercased())/markers"

        // Nothing publishes yet: nothing to mark.
        let early = try await Self.post(server, markers, ["kind": "adBreak", "duration": 10])
        #expect(early.status == 409, "\(early.text)")

        let publisher = try Self.publish(server.publishURL(key: key.secret.value))
        defer { publisher.kill() }
        _ = try await HTTP.waitFor(server.url("hls/marked1/master.m3u8"), timeout: .seconds(90))
        let playlistURL = server.url("hls/marked1/source/index.m3u8")
        let before = try await HTTP.get(playlistURL).text
        // The newest segment's date-time, on the 2 s grid: 6.5 s later is half a second before a
        // key frame that is not on the grid.
        let newest = try #require(before.split(separator: "\n").last { $0.hasPrefix("#EXT-X-PROGRAM-DATE-TIME:") })
        let edge = try #require(Self.date(newest.dropFirst("#EXT-X-PROGRAM-DATE-TIME:".count)))
        let asked = edge.addingTimeInterval(6.5)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let accepted = try await Self.post(server, markers, [
            "kind": "adBreak", "duration": 4, "id": "break-1", "start": formatter.string(from: asked),
        ])
        #expect(accepted.status == 202, "\(accepted.text)")

        // The break's segment is listed, then the one its return starts.
        var playlist = ""
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            playlist = try await HTTP.get(playlistURL).text
            if playlist.contains("SCTE35-IN=") { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let lines = playlist.split(separator: "\n").map(String.init)
        let out = try #require(lines.firstIndex { $0.hasPrefix("#EXT-X-DATERANGE:") && $0.contains("SCTE35-OUT=") }, "\(playlist)")
        #expect(Self.attribute("ID", in: lines[out]) == "break-1")
        #expect(Self.attribute("PLANNED-DURATION", in: lines[out]) == "4.00000")
        #expect(Self.attribute("SCTE35-OUT", in: lines[out])?.hasPrefix("0xFC") == true)
        // On a segment boundary: its START-DATE is its segment's date-time, the line before.
        let startDate = try #require(Self.attribute("START-DATE", in: lines[out]))
        #expect(lines[out - 1] == "#EXT-X-PROGRAM-DATE-TIME:\(startDate)")
        // At the first key frame at or after the time asked for: within a second after it.
        let start = try #require(Self.date(startDate))
        let late = start.timeIntervalSince(asked)
        #expect(late >= -0.05 && late <= 1.05, "the break starts \(late) s after the time asked for")
        // Off the grid: the segment before it was cut short, at one key-frame interval.
        let previousDuration = lines[..<out].last { $0.hasPrefix("#EXTINF:") }.flatMap { Double($0.dropFirst(8).dropLast()) }
        #expect(previousDuration.map { abs($0 - 1) < 0.1 } == true, "\(previousDuration ?? -1)")
        // Its return, 4 s on, likewise on a boundary.
        let back = try #require(lines.firstIndex { $0.hasPrefix("#EXT-X-DATERANGE:") && $0.contains("SCTE35-IN=") })
        #expect(Self.attribute("DURATION", in: lines[back]) == "4.00000")
        let returned = lines[..<back].last { $0.hasPrefix("#EXT-X-PROGRAM-DATE-TIME:") }
            .flatMap { Self.date($0.dropFirst("#EXT-X-PROGRAM-DATE-TIME:".count)) }
        #expect(returned.map { abs($0.timeIntervalSince(start) - 4) < 0.05 } == true)

        // The audio rendition lists it too, on its own segment of the same number.
        let audio = try await HTTP.get(server.url("hls/marked1/audio/index.m3u8")).text
        #expect(audio.contains("ID=\"break-1\""))

        // The MPD: an SCTE-35 event at the break's instant (AST is the epoch; times in ms).
        let mpdText = try await HTTP.get(server.url("dash/marked1/manifest.mpd")).text
        let mpd = try #require(XMLTree.parse(mpdText))
        let periods = mpd.children(named: "Period")
        let carrying = try #require(periods.first { $0.child("EventStream") != nil })
        let stream = try #require(carrying.child("EventStream"))
        #expect(stream["schemeIdUri"] == "urn:scte:scte35:2014:xml+bin")
        let event = try #require(stream.child("Event"))
        let periodStart = try #require(carrying["start"].flatMap { Double($0.dropFirst(2).dropLast()) })
        let presentation = try #require(event["presentationTime"].flatMap(Double.init))
        #expect(abs(periodStart + presentation / 1_000 - start.timeIntervalSince1970) < 0.002)
        #expect(event["duration"] == "4000")

        // The archive: a catch-up of the break and a few seconds around it lists the tags the
        // live playlist had, on the archived copies of the same segments, once both are archived.
        let from = Int64(start.timeIntervalSince1970 * 1_000)
        let range = "start=\(TimeShiftTests.iso(from - 3_000))&end=\(TimeShiftTests.iso(from + 5_000))"
        var catchUp = ""
        let archived = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < archived {
            let answer = try await HTTP.get(server.url("hls/marked1/source/index.m3u8?\(range)"))
            catchUp = answer.text
            if answer.status == 200, catchUp.contains("SCTE35-IN=") { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let liveTags = lines.filter { $0.hasPrefix("#EXT-X-DATERANGE:") }
        let archivedLines = catchUp.split(separator: "\n").map(String.init)
        #expect(archivedLines.filter { $0.hasPrefix("#EXT-X-DATERANGE:") } == liveTags, "\(catchUp)")
        let archivedOut = try #require(archivedLines.firstIndex(of: lines[out]), "\(catchUp)")
        #expect(archivedLines[archivedOut - 1] == "#EXT-X-PROGRAM-DATE-TIME:\(startDate)")
        #expect(archivedLines[(archivedOut + 1)...].first { !$0.hasPrefix("#") }?.hasPrefix("archive/") == true)
        // Its static MPD: the same event, at the break's instant on its own timeline.
        let staticText = try await HTTP.get(server.url("dash/marked1/manifest.mpd?\(range)")).text
        let staticMPD = try #require(XMLTree.parse(staticText))
        #expect(staticMPD["type"] == "static")
        let availability = try #require(staticMPD["availabilityStartTime"].flatMap(Self.date))
        let archivedPeriod = try #require(staticMPD.children(named: "Period").first { $0.child("EventStream") != nil })
        let archivedEvent = try #require(archivedPeriod.child("EventStream")?.child("Event"))
        let archivedStart = try #require(archivedPeriod["start"].flatMap { Double($0.dropFirst(2).dropLast()) })
        let archivedPresentation = try #require(archivedEvent["presentationTime"].flatMap(Double.init))
        let instant = availability.timeIntervalSince1970 + archivedStart + archivedPresentation / 1_000
        #expect(abs(instant - start.timeIntervalSince1970) < 0.002)
        #expect(archivedEvent["id"] == event["id"] && archivedEvent["duration"] == "4000")
        let binary = try #require(mpdText.split(separator: "\n").first { $0.contains("<Binary>") })
        #expect(staticText.split(separator: "\n").filter { $0.contains("<Binary>") } == [binary], "\(staticText)")

        // The webhook, with the marker as its detail.
        let hook = try await receiver.waitFor { $0.header("Antenne-Event") == "channel.marker" }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(hook.body.utf8)) as? [String: Any])
        let detail = try #require(json["detail"] as? [String: Any])
        #expect(detail["id"] as? String == "break-1")
        #expect(detail["kind"] as? String == "adBreak")
        #expect((detail["start"] as? String).flatMap(Self.date) == start)

        try await server.stop()
        await receiver.stop()
    }
}
