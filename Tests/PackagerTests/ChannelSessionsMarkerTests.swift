import Containers
import Hub
import MediaCore
import Testing
@testable import Packager

/// Markers through a channel's sessions: the leader cuts on the splice, the marker goes with the
/// segment it starts, before that segment opens.
@Suite struct ChannelSessionsMarkerTests {
    func driver(after frames: Int) -> SessionsDriver {
        var driver = SessionsDriver()
        driver.send(.tracks([Media.video(), Media.audio]))
        driver.send(Media.interleaved(frames: 0..<frames, keyEvery: 30))
        return driver
    }

    @Test(arguments: [
        ChannelMarker.Start.mediaTime(MediaTime(ticks: 2_500, timescale: 1_000)),
        .wallClock(SessionsDriver.start + 2_500),
    ])
    func aMarkerStartsTheSegmentOfTheKeyFrameAfterIt(_ start: ChannelMarker.Start) throws {
        var driver = driver(after: 30)
        driver.sessions.mark([ChannelMarker(id: "b1", kind: .adBreak, start: start, duration: MediaTime(ticks: 30, timescale: 1))])
        driver.send(Media.interleaved(frames: 30..<150, keyEvery: 30))
        #expect(driver.log("source", "open") == ["open source 0 @0", "open source 1 @180000", "open source 2 @270000", "open source 3 @360000"])
        let marker = try #require(driver.actions.compactMap { if case .marker(let m) = $0 { m } else { nil } }.first)
        #expect(marker.msn == 2)
        #expect(marker.start == MediaTime(ticks: 270_000, timescale: 90_000))
        #expect(marker.programDateTime == SessionsDriver.start + 3_000)
        // Before its segment opens, so a playlist that lists the segment lists the marker.
        let markerIndex = try #require(driver.log.firstIndex { $0.hasPrefix("marker b1") })
        let openIndex = try #require(driver.log.firstIndex(of: "open source 2 @270000"))
        #expect(markerIndex < openIndex)
        // Its cue: a splice_insert out of the network at 3 s for 30 s.
        let cue = try SpliceInfoSection(parsing: marker.cue)
        #expect(cue == .breakStart(eventID: ChannelMarker.eventID(for: "b1"), ptsTime: 270_000, duration: 2_700_000))
        let back = try SpliceInfoSection(parsing: try #require(marker.returnCue))
        #expect(back == .breakEnd(eventID: ChannelMarker.eventID(for: "b1"), ptsTime: 270_000 + 2_700_000))
        // The audio follows the cut.
        #expect(driver.log("audio", "open").contains { $0.hasPrefix("open audio 2 @") })
    }

    @Test func aMarkerWithoutASessionIsDropped() {
        var driver = SessionsDriver()
        driver.sessions.mark([ChannelMarker(id: "p", kind: .programme, start: .wallClock(0), duration: MediaTime(ticks: 1, timescale: 1))])
        #expect(driver.sessions.statistics.markersDropped == 1)
    }

    @Test func aSessionThatEndsDropsTheMarkersWaiting() {
        var driver = driver(after: 10)
        driver.sessions.mark(
            [ChannelMarker(id: "late", kind: .adBreak, start: .mediaTime(MediaTime(ticks: 100, timescale: 1)),
                           duration: MediaTime(ticks: 1, timescale: 1))])
        driver.send(.end)
        #expect(driver.sessions.statistics.markersDropped == 1)
        #expect(!driver.log.contains { $0.hasPrefix("marker") })
    }
}
