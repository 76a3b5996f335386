import Hub
import MediaCore
import NIOConcurrencyHelpers
import NIOCore
import Testing
@testable import Packager

/// The packager core as a state machine: hub events in, actions on named renditions out.
@Suite struct ChannelSessionsTests {
    /// 2 s segments cut on the key frames at the target, four 0.5 s parts each; the encoder's
    /// audio follows the video's boundaries with the same numbers, on its first frame at or after
    /// each; date-times from the wall clock of the first sample.
    @Test func leaderCutsOnKeyFramesAndAudioFollows() throws {
        var driver = SessionsDriver()
        driver.send(.tracks([Media.video(), Media.audio]))
        driver.send(Media.interleaved(frames: 0..<183))
        #expect(Array(driver.log.prefix(3)) == ["begin source ", "begin audio ", #"list source ["source", "audio"] hidden []"#])
        #expect(driver.log("source", "open") == ["open source 0 @0", "open source 1 @180000", "open source 2 @360000", "open source 3 @540000"])
        #expect(driver.log("source", "close") == ["close source 0", "close source 1", "close source 2"])
        // The first AAC frame at or after 2 s is frame 94 (96 256 / 48 000 s), and so on.
        #expect(driver.log("audio", "open") == ["open audio 0 @0", "open audio 1 @96256", "open audio 2 @192512", "open audio 3 @288768"])
        #expect(driver.log("audio", "close") == ["close audio 0", "close audio 1", "close audio 2"])

        for msn in 0..<3 {
            let video = driver.parts("source", msn: msn)
            #expect(video.map(\.index) == [0, 1, 2, 3])
            #expect(video.map(\.duration) == [45_000, 45_000, 45_000, 45_000])
            #expect(video.map(\.independent) == [true, false, false, false])
            #expect(video.map(\.startDTS) == (0..<4).map { Int64(msn) * 180_000 + Int64($0) * 45_000 })
            let audio = driver.parts("audio", msn: msn)
            #expect(audio.allSatisfy { $0.duration <= 24_000 && $0.independent })
        }
        let programDateTimes = driver.actions.compactMap { action -> Int64? in
            guard case .openSegment("source", _, _, let programDateTime) = action else { return nil }
            return programDateTime
        }
        #expect(programDateTimes == [0, 2_000, 4_000, 6_000].map { SessionsDriver.start + $0 })
        let stats = driver.sessions.statistics
        #expect(stats.sessions == 1 && stats.segments == 6 && stats.gaps == 0 && stats.unknownTrackSamples == 0)
        // Every frame but the last AAC one, which waits for the video to pass it.
        #expect(stats.samples == 183 + 284)
    }

    /// A part carries its samples' bytes, in order, in one CMAF fragment; a segment is its parts:
    /// its bytes are theirs, concatenated, and the live window and the archive get those buffers.
    @Test func aSegmentIsItsPartsBytes() throws {
        var driver = SessionsDriver()
        driver.send(.tracks([Media.video(), Media.audio]))
        let events = Media.interleaved(frames: 0..<121)
        driver.send(events)
        let videoSamples = events.compactMap { event -> Sample? in
            guard case .sample(0, let sample) = event else { return nil }
            return sample
        }
        let parts = driver.parts("source", msn: 0)
        let payloads = try parts.map { try #require(Media.mdatPayload($0.data)) }
        // Part 0: frames 0-14, its first bytes an IDR slice of frame 0.
        #expect(payloads[0].prefix(8) == [0, 0, 0, 4, 0x65, 0, 0, 0])
        #expect(payloads[0] == Media.bytes(Array(videoSamples[0..<15])))
        #expect(payloads.flatMap { $0 } == Media.bytes(Array(videoSamples[0..<60])))

        // Carried out on a packager: the live window and the archive hold the parts' buffers.
        let archived = NIOLockedValueBox<[CompletedSegment]>([])
        let packager = ChannelPackager(channel: Hub().channel(named: "c"), configuration: PackagerConfiguration(), now: { 0 },
                                       onSegment: { segment in archived.withLockedValue { $0.append(segment) } })
        packager.carryOut(driver.actions, statistics: driver.sessions.statistics)
        let rendition = try #require(packager.rendition(named: "source"))
        let segment = try #require(rendition.segment(msn: 0))
        #expect(segment == parts.map(\.data))
        #expect(segment.flatMap { Array($0.readableBytesView) } == parts.flatMap { Array($0.data.readableBytesView) })
        #expect(rendition.part(msn: 0, index: 2) == parts[2].data)
        #expect(rendition.segment(msn: 2) == nil, "segment 2 is still open")
        let first = try #require(archived.withLockedValue { $0.first { $0.rendition == "source" } })
        #expect(first.msn == 0 && first.parts == parts.map(\.data) && first.size == parts.reduce(0) { $0 + $1.data.readableBytes })
        #expect(archived.withLockedValue { $0.map { "\($0.rendition) \($0.msn)" } } == ["source 0", "audio 0", "source 1"])
        #expect(packager.statistics == driver.sessions.statistics)
    }

    /// The transcoder's output arrives before the source's: its samples wait until the leader
    /// has passed them, then go on in order, cut at the leader's boundaries with its numbers.
    @Test func heldFollowerEventsAreReleasedInOrderOnTheLeadersBoundaries() throws {
        var driver = SessionsDriver()
        driver.send(.tracks([Media.video()]))
        let rendition = (0..<90).map { Media.frame($0, key: $0 % 60 == 0, tag: 7) }
        driver.send([HubEvent.tracks([Media.video("360p")])] + rendition[0..<30].map { .sample(track: 0, $0) }, from: .renditions)
        #expect(driver.log.count == 4, "\(driver.log)")
        #expect(driver.log.last == #"list renditions ["360p"] hidden []"#)

        driver.send(Media.interleaved(frames: 0..<60, audio: false))
        let open360 = try #require(driver.log.firstIndex(of: "open 360p 0 @0"))
        #expect(try #require(driver.log.firstIndex(of: "open source 0 @0")) < open360)
        // Released up to what lies a frame behind the leader's newest sample (frame 59).
        #expect(driver.log("360p", "part") == ["part 360p 0.0", "part 360p 0.1"])
        let released = try driver.parts("360p", msn: 0).flatMap { try #require(Media.mdatPayload($0.data)) }
        #expect(released == Media.bytes(Array(rendition[0..<30])))

        driver.send(rendition[30..<90].map { .sample(track: 0, $0) }, from: .renditions)
        driver.send(Media.interleaved(frames: 60..<90, audio: false))
        #expect(driver.log("360p", "open") == ["open 360p 0 @0", "open 360p 1 @180000"])
        #expect(driver.log("360p", "close") == ["close 360p 0"])
        let segment = try driver.parts("360p", msn: 0).flatMap { try #require(Media.mdatPayload($0.data)) }
        #expect(segment == Media.bytes(Array(rendition[0..<60])))
    }

    /// The transcoder is down from 4.5 s to 8.5 s: the segments it missed are gaps with the
    /// leader's durations and date-times, and its numbers stay the channel's.
    @Test func aFollowerListsWhatItMissedAsGaps() throws {
        var driver = SessionsDriver()
        driver.send(.tracks([Media.video()]))
        driver.send(.tracks([Media.video("360p")]), from: .renditions)
        for i in 0..<360 {
            driver.send(.sample(track: 0, Media.frame(i, key: i % 60 == 0)))
            if i == 135 { driver.send(.end, from: .renditions) }
            if i == 255 { driver.send(.tracks([Media.video("360p")]), from: .renditions) }
            if i < 135 || i >= 255 {
                // The restarted transcoder's first frame is a key frame, mid-segment.
                driver.send(.sample(track: 0, Media.frame(i, key: i % 60 == 0 || i == 255, tag: 1)), from: .renditions)
            }
        }
        #expect(driver.log("360p", "open") == ["open 360p 0 @0", "open 360p 1 @180000", "open 360p 2 @360000", "open 360p 5 @900000"])
        #expect(driver.log("360p", "gap") == ["gap 360p 3 180000", "gap 360p 4 180000"])
        #expect(driver.log("360p", "close") == ["close 360p 0", "close 360p 1", "close 360p 2"])
        #expect(driver.log("360p", "end") == ["end 360p "])
        let gapTimes = driver.actions.compactMap { action -> Int64? in
            guard case .gap(_, _, _, let programDateTime) = action else { return nil }
            return programDateTime
        }
        #expect(gapTimes == [SessionsDriver.start + 6_000, SessionsDriver.start + 8_000])
        // Segment 2 was cut short when the transcoder left: 4-4.5 s.
        #expect(driver.parts("360p", msn: 2).reduce(0) { $0 + $1.duration } == 45_000)
        #expect(driver.sessions.statistics.gaps == 2)
    }

    /// A reconnect closes what was open, ends the renditions and starts again after a
    /// discontinuity; the new session's timestamps start over, its numbers do not.
    @Test func aReconnectIsADiscontinuityAndNumbersGoOn() throws {
        var driver = SessionsDriver()
        driver.send(.tracks([Media.video(), Media.audio]))
        driver.send(Media.interleaved(frames: 0..<75))
        let before = driver.actions.count
        driver.now = SessionsDriver.start + 10_000
        driver.send(.end)
        #expect(Array(driver.log[before...]).filter { !$0.hasPrefix("part") }
            == ["close source 1", "close audio 1", "end source ", "end audio "])
        #expect(driver.actions.last == .end(rendition: "audio", at: SessionsDriver.start + 10_000))
        driver.now = SessionsDriver.start + 20_000
        driver.send(.tracks([Media.video(), Media.audio]))
        driver.send(Media.interleaved(frames: 0..<121))
        #expect(driver.log("source", "open") == ["open source 0 @0", "open source 1 @180000", "open source 2 @0", "open source 3 @180000", "open source 4 @360000"])
        #expect(driver.log("audio", "open") == ["open audio 0 @0", "open audio 1 @96256", "open audio 2 @0", "open audio 3 @96256"])
        #expect(driver.sessions.statistics.sessions == 2)

        let packager = ChannelPackager(channel: Hub().channel(named: "c"), configuration: PackagerConfiguration(), now: { 0 })
        packager.carryOut(driver.actions, statistics: driver.sessions.statistics)
        let snapshot = try #require(packager.rendition(named: "source")?.snapshot())
        #expect(snapshot.segments.map(\.msn) == [0, 1, 2, 3, 4])
        #expect(snapshot.segments.map(\.discontinuity) == [false, false, true, false, false])
        #expect(snapshot.segments.map(\.programDateTime) == [0, 2_000, 20_000, 22_000, 24_000].map { SessionsDriver.start + $0 })
        #expect(snapshot.mapURIs == ["init.mp4"])
        #expect(snapshot.isLive)
    }

    /// A channel restarted from its archive numbers on after the last archived segment, and
    /// its followers with it.
    @Test func resumeNumbersAfterTheArchive() {
        var driver = SessionsDriver()
        driver.sessions.resume(after: 41)
        driver.sessions.resume(after: 7)
        driver.send(.tracks([Media.video(), Media.audio]))
        driver.send(Media.interleaved(frames: 0..<121))
        #expect(driver.log("source", "open") == ["open source 42 @0", "open source 43 @180000", "open source 44 @360000"])
        #expect(driver.log("audio", "open") == ["open audio 42 @0", "open audio 43 @96256"])
    }

    /// A plan without the source still segments it (it leads), lists it as hidden, and neither
    /// serves nor archives it.
    @Test func theSourceIsHiddenWhenThePlanDoesNotOfferIt() throws {
        var driver = SessionsDriver(plan: RenditionPlan(offerSource: false))
        driver.send(.tracks([Media.video(), Media.audio]))
        driver.send(Media.interleaved(frames: 0..<64))
        #expect(driver.log.contains(#"list source ["source", "audio"] hidden ["source"]"#))
        #expect(driver.log("source", "close") == ["close source 0"])

        let archived = NIOLockedValueBox<[String]>([])
        let packager = ChannelPackager(channel: Hub().channel(named: "c"), plan: RenditionPlan(offerSource: false),
                                       configuration: PackagerConfiguration(), now: { 0 },
                                       onSegment: { segment in archived.withLockedValue { $0.append("\(segment.rendition) \(segment.msn)") } })
        packager.carryOut(driver.actions, statistics: driver.sessions.statistics)
        #expect(packager.rendition(named: "source") == nil)
        #expect(packager.renditions.map(\.name) == ["audio"])
        #expect(archived.withLockedValue { $0 } == ["audio 0"])
    }

    /// The transcoder encodes the audio group: the encoder's audio is not packaged.
    @Test func theEncodersAudioStepsAsideForTheTranscoders() {
        var driver = SessionsDriver(plan: RenditionPlan(audioFromRenditions: true))
        driver.send(.tracks([Media.video(), Media.audio]))
        driver.send(Media.interleaved(frames: 0..<61))
        #expect(driver.log.contains(#"list source ["source"] hidden []"#))
        #expect(driver.log("audio", "open").isEmpty)
        #expect(driver.sessions.statistics.unknownTrackSamples == 0)
    }

    /// Samples for a track the session does not have are counted, not packaged.
    @Test func samplesOfAnUnknownTrackAreCounted() {
        var driver = SessionsDriver()
        driver.sourceIsLive = false
        driver.send(.sample(track: 0, Media.frame(0, key: true)), from: .renditions)
        driver.send(.tracks([Media.video()]))
        driver.send(.sample(track: 3, Media.frame(0, key: true)))
        driver.send(.sample(track: 0, Media.frame(0, key: true)))
        #expect(driver.sessions.statistics.unknownTrackSamples == 2)
        #expect(driver.sessions.statistics.samples == 1)
        #expect(driver.log("source", "open") == ["open source 0 @0"])
    }

    /// A reader cut off by the hub ends its session and is counted; numbers go on after it.
    @Test func aReaderThatEndsEndsItsSession() {
        var driver = SessionsDriver()
        driver.send(.tracks([Media.video()]))
        driver.send(Media.interleaved(frames: 0..<70, audio: false))
        driver.actions += driver.sessions.readerEnded(.source, resubscribing: true, now: driver.now, sourceIsLive: true)
        driver.send(.tracks([Media.video()]))
        driver.send(Media.interleaved(frames: 0..<1, audio: false))
        #expect(driver.log("source", "close") == ["close source 0", "close source 1"])
        #expect(driver.log("source", "open") == ["open source 0 @0", "open source 1 @180000", "open source 2 @0"])
        #expect(driver.sessions.statistics.resubscriptions == 1)
    }

    /// Deterministic: the same events give the same actions, bytes included, whatever the batches.
    @Test func sameEventsSameActions() {
        let events = [HubEvent.tracks([Media.video(), Media.audio])] + Media.interleaved(frames: 0..<200)
        var whole = SessionsDriver()
        whole.send(events)
        var oneByOne = SessionsDriver()
        for event in events { oneByOne.send(event) }
        #expect(whole.actions.count > 40)
        #expect(whole.actions == oneByOne.actions)
    }
}
