import Hub
import MediaCore
import NIOCore
import Testing
@testable import Packager

/// Identical origins (issue "Scale out delivery", item 1; docs/NUMBERING.md): an instance that
/// joins a running session gives every segment it packages the number, boundaries and bytes of an
/// instance that was there from the start.
@Suite struct IdenticalOriginsTests {
    /// Source video (track 0) and AAC (track 1) from video frame `first` on, key frames every
    /// `keyEvery` frames, as one instance receives them.
    static func source(from first: Int, to end: Int, keyEvery: Int) -> [HubEvent] {
        [.tracks([Media.video(), Media.audio])] + Media.interleaved(frames: first..<end, keyEvery: keyEvery)
    }

    /// Every part an instance published, by rendition and (msn, index).
    static func parts(_ driver: SessionsDriver, _ rendition: String) -> [Int: [Segmenter.Part]] {
        var byMSN: [Int: [Segmenter.Part]] = [:]
        for case .publish(rendition, let part) in driver.actions { byMSN[part.msn, default: []].append(part) }
        return byMSN
    }

    static func closed(_ driver: SessionsDriver, _ rendition: String) -> [Int] {
        driver.actions.compactMap { action in
            guard case .closeSegment(rendition, let msn) = action else { return nil }
            return msn
        }
    }

    /// Expects `late`'s complete segments of `rendition` to be `early`'s, part for part, bytes included.
    static func expectSameSegments(_ early: SessionsDriver, _ late: SessionsDriver, _ rendition: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        let earlyParts = parts(early, rendition)
        let lateParts = parts(late, rendition)
        let lateClosed = closed(late, rendition)
        #expect(!lateClosed.isEmpty, "\(rendition): the late instance closed no segment", sourceLocation: sourceLocation)
        for msn in lateClosed {
            #expect(closed(early, rendition).contains(msn), "\(rendition) \(msn)", sourceLocation: sourceLocation)
            #expect(lateParts[msn] == earlyParts[msn], "\(rendition) \(msn) differs", sourceLocation: sourceLocation)
        }
    }

    /// The late instance starts at 20 s exactly on a key frame on a grid point (it opens there), at
    /// 20.5 s mid-GOP (it waits for the key frame at 22 s), at 20.5 s with 1 s GOPs (the key frame
    /// at 21 s is inside grid period 10: it waits for 22 s), and with 1.5 s GOPs, where the first
    /// key frame at or after 20 s is at 21 s, where the early instance cut segment 10 too.
    @Test(.bug("an origin that joins later numbers from 0 and cuts at its own start + target"),
          arguments: [(600, 60, 10), (615, 60, 11), (615, 30, 11), (600, 45, 10)])
    func aLateInstanceGivesTheSameSegments(first: Int, keyEvery: Int, firstMSN: Int) throws {
        var early = SessionsDriver()
        early.send(Self.source(from: 0, to: 1_200, keyEvery: keyEvery))
        var late = SessionsDriver()
        late.now = SessionsDriver.start + 20_511
        late.send(Self.source(from: first, to: 1_200, keyEvery: keyEvery))

        #expect(late.log("source", "open").first?.hasPrefix("open source \(firstMSN) @") == true, "\(late.log("source", "open"))")
        #expect(late.log("audio", "open").first?.hasPrefix("open audio \(firstMSN) @") == true, "\(late.log("audio", "open"))")
        // What both opened, each at the same time.
        let earlyOpened = Set(early.log("source", "open") + early.log("audio", "open"))
        #expect(Set(late.log("source", "open") + late.log("audio", "open")).isSubset(of: earlyOpened))
        Self.expectSameSegments(early, late, "source")
        Self.expectSameSegments(early, late, "audio")
        #expect(late.sessions.statistics.gaps == 0 && late.sessions.statistics.emptyGridPeriods == 0)
    }

    /// A transcoded rendition follows the source's boundaries on both instances: the late one's
    /// 360p segments are the early one's (the transcoder fed from the same point gives the same
    /// frames; docs/NUMBERING.md says when it does not).
    @Test func transcodedRenditionsFollowTheSameBoundaries() throws {
        func run(from first: Int) -> SessionsDriver {
            var driver = SessionsDriver()
            driver.send(.tracks([Media.video()]))
            driver.send(.tracks([Media.video("360p")]), from: .renditions)
            for i in first..<900 {
                driver.send(.sample(track: 0, Media.frame(i, key: i % 60 == 0)))
                // The transcoder's first frame is a key frame; the rest where the source has them.
                driver.send(.sample(track: 0, Media.frame(i, key: i % 60 == 0 || i == first, tag: 3)), from: .renditions)
            }
            return driver
        }
        let early = run(from: 0)
        let late = run(from: 615)
        #expect(late.log("360p", "open").first == "open 360p 11 @1980000")
        #expect(late.log("360p", "gap").isEmpty)
        Self.expectSameSegments(early, late, "source")
        Self.expectSameSegments(early, late, "360p")
    }

    /// Reconnects: both instances close the first session on the same last number and go on
    /// from it after the discontinuity, so they agree on every later session too.
    @Test func bothInstancesGoOnFromTheSameNumberAfterAReconnect() throws {
        var early = SessionsDriver()
        early.send(Self.source(from: 0, to: 1_200, keyEvery: 60))
        early.send(.end)
        early.send(Self.source(from: 0, to: 300, keyEvery: 60))
        var late = SessionsDriver()
        late.send(Self.source(from: 615, to: 1_200, keyEvery: 60))
        late.send(.end)
        late.send(Self.source(from: 0, to: 300, keyEvery: 60))

        #expect(Array(early.log("source", "open").suffix(5)) == ["open source 20 @0", "open source 21 @180000", "open source 22 @360000",
                                                                 "open source 23 @540000", "open source 24 @720000"])
        #expect(Array(late.log("source", "open").suffix(5)) == Array(early.log("source", "open").suffix(5)))
        Self.expectSameSegments(early, late, "source")
        Self.expectSameSegments(early, late, "audio")
    }

    /// A session whose timestamps do not start at zero: an instance with no numbers before takes
    /// the grid period's number; one that has numbered before, or resumes from its archive, goes on
    /// from its own last number, so its media sequence neither jumps nor goes back.
    @Test func aSessionAfterOthersGoesOnFromTheLastNumber() {
        var fresh = SessionsDriver()
        fresh.send(Self.source(from: 615, to: 800, keyEvery: 60))
        #expect(fresh.log("source", "open").first == "open source 11 @1980000")

        var resumed = SessionsDriver()
        resumed.sessions.resume(after: 41)
        resumed.send(Self.source(from: 615, to: 800, keyEvery: 60))
        #expect(resumed.log("source", "open") == ["open source 42 @1980000", "open source 43 @2160000", "open source 44 @2340000"])
        // The first AAC frame at or after 22 s: frame 1 032 (1 056 768 / 48 000 s).
        #expect(resumed.log("audio", "open").first == "open audio 42 @1056768")

        var reconnected = SessionsDriver()
        reconnected.send(Self.source(from: 0, to: 130, keyEvery: 60))
        reconnected.send(.end)
        reconnected.send(Self.source(from: 615, to: 800, keyEvery: 60))
        #expect(reconnected.log("source", "open") == ["open source 0 @0", "open source 1 @180000", "open source 2 @360000",
                                                      "open source 3 @1980000", "open source 4 @2160000", "open source 5 @2340000"])
    }

    /// A key-frame interval longer than the segment target (2.2 s GOPs for a 2 s target): grid
    /// period 10 (20-22 s) holds no key frame. Numbers stay consecutive and the empty period is
    /// counted; an instance that joins after it numbers one higher from then on (the documented
    /// limit), one that joins before it agrees.
    @Test func aKeyFrameIntervalLongerThanTheTargetLeavesAGridPeriodEmpty() throws {
        var early = SessionsDriver()
        early.send(Self.source(from: 0, to: 1_200, keyEvery: 66))
        let opened = early.log("source", "open")
        #expect(opened.count == 19)
        #expect(opened.prefix(11).last == "open source 10 @1980000", "key frame 660 at 22 s lies in grid period 11")
        #expect(early.sessions.statistics.emptyGridPeriods == 1)

        var before = SessionsDriver()
        before.send(Self.source(from: 400, to: 1_200, keyEvery: 66))
        #expect(before.log("source", "open").first == "open source 7 @1386000")
        Self.expectSameSegments(early, before, "source")

        var after = SessionsDriver()
        after.send(Self.source(from: 700, to: 1_200, keyEvery: 66))
        // Key frame 726 (24.2 s) is segment 11 on the early instance, grid period 12 here.
        #expect(opened.contains("open source 11 @2178000"))
        #expect(after.log("source", "open").first == "open source 12 @2178000")
    }

    /// The `mfhd` sequence number comes from the segment number and the part index, so it is the
    /// same on an instance that starts later (ISO/IEC 14496-12 §8.8.5).
    @Test(.bug("mfhd sequence numbers counted from 0 per segmenter"))
    func fragmentSequenceNumbersDeriveFromTheNumbers() throws {
        var driver = SessionsDriver()
        driver.sessions.resume(after: 2)
        driver.send(Self.source(from: 0, to: 130, keyEvery: 60))
        let part = try #require(driver.parts("source", msn: 4).first)
        // moof header 8, mfhd header 8 and version/flags 4: sequence_number at offset 20.
        let sequenceNumber = try #require(part.data.getInteger(at: 20, as: UInt32.self))
        #expect(sequenceNumber == 4 * 1_024 + 1)
        #expect(driver.parts("source", msn: 3).map { $0.data.getInteger(at: 20, as: UInt32.self) } == [3_073, 3_074, 3_075, 3_076])
        #expect(Segmenter.fragmentSequenceNumber(msn: 0, part: 0) == 1)
        #expect(Segmenter.fragmentSequenceNumber(msn: 1, part: 5_000) == 2_048)
    }
}
