import Channels
import Control
import Foundation
import Testing
@testable import AntenneServer

/// What a channel's slate player plays now (a scheduled file, else its slate), where FFmpeg
/// starts a scheduled file, and ffprobe's duration read back.
@Suite struct SlateProgramTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let card = ChannelSlate(source: .card, timeoutSeconds: 600)

    @Test func theScheduleTakesThePlaceOfTheSlateOnceItHasStarted() throws {
        let items = [ScheduleItem(path: "a.mp4", startsAt: Self.t0), ScheduleItem(path: "b.mp4", startsAt: Self.t0 + 60)]
        let entry = PlayoutBoard.Entry(schedule: ChannelSchedule(items: items), slate: Self.card, streamKey: "slate-key-1")
        let before = try #require(SlateProgram.at(Self.t0 - 1, entry))
        #expect(before.content == .slate(Self.card) && before.timeout == .seconds(600) && before.streamKey == "slate-key-1")
        let bare = PlayoutBoard.Entry(schedule: ChannelSchedule(items: items), slate: nil, streamKey: "slate-key-1")
        #expect(SlateProgram.at(Self.t0 - 1, bare) == nil, "nothing plays before the first start without a slate")
        let first = try #require(SlateProgram.at(Self.t0 + 59, entry))
        #expect(first.content == .scheduled(index: 0, item: items[0]) && first.timeout == nil)
        let second = SlateProgram.at(Self.t0 + 60, entry)
        #expect(second != first, "the next item's start is a new program: the player's FFmpeg is replaced")
        #expect(second?.content == .scheduled(index: 1, item: items[1]))
        let untimed = PlayoutBoard.Entry(schedule: ChannelSchedule(items: []), slate: ChannelSlate(source: .video, path: "/m/a.mp4"), streamKey: "k")
        #expect(SlateProgram.at(Self.t0, untimed)?.timeout == nil, "a slate without a timeout plays for as long as no encoder is live")
    }

    @Test func aConfiguredSlateIsDeclaredWithAbsolutePathsAndItsTimeout() {
        let card = ServerConfiguration.Channel.declaration(Slate(source: .card, streamKey: "k", timeout: .seconds(30)))
        #expect(card == ChannelSlate(source: .card, timeoutSeconds: 30))
        let playout = ServerConfiguration.Channel.declaration(Slate(source: .video(path: "./clips/../a.mp4"), streamKey: "k", timeout: nil))
        #expect(playout.source == .video && playout.timeoutSeconds == nil)
        #expect(playout.path?.hasPrefix("/") == true && playout.path?.hasSuffix("/a.mp4") == true && playout.path?.contains("..") == false)
    }

    @Test func aScheduledFileStartsWhereTheClockIs() {
        let slate = Slate(source: .video(path: "/m/a.mp4"), streamKey: "k", timeout: nil)
        let arguments = slate.ffmpegArguments(channel: "a", url: "rtmp://127.0.0.1:1/live/k", startMilliseconds: 12_045)
        let seek = arguments.firstIndex(of: "-ss")
        #expect(seek.map { arguments[$0 + 1] } == "12.045")
        #expect(seek.flatMap { seek in arguments.firstIndex(of: "-i").map { seek < $0 } } == true, "an input option: a seek, not a decode from the start")
        #expect(!slate.ffmpegArguments(channel: "a", url: "rtmp://127.0.0.1:1/live/k").contains("-ss"))
    }

    @Test func ffprobesDurationIsReadToTheMillisecond() {
        #expect(FileDuration.parse("12.345000\n") == 12_345)
        #expect(FileDuration.parse("3") == 3_000)
        #expect(FileDuration.parse("0.5") == 500)
        for bad in ["N/A", "", "-1.0", "1.-5", "1.2.3", "99999999999999999999"] {
            #expect(FileDuration.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func anFFprobeThatHangsIsKilledAndGivesNoDuration() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanging-ffprobe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("ffprobe").path
        try "#!/bin/sh\nexec sleep 30\n".write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let started = ContinuousClock.now
        let duration = try await FileDuration.milliseconds(of: "/m/a.mp4", ffprobe: script, timeout: .milliseconds(300))
        #expect(duration == nil)
        #expect(ContinuousClock.now - started < .seconds(10), "ffprobe was waited for, not killed")
    }
}
