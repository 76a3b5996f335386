import MediaCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
@testable import Packager

@Suite struct LiveRenditionTests {
    let track = TrackInfo(codec: .h264, timescale: 90_000, decoderConfig: [1, 2, 3], codecString: "avc1.64001f",
                          video: VideoParameters(width: 640, height: 360))

    func part(_ msn: Int, _ index: Int, duration: Int64 = 45_000, independent: Bool = false) -> Segmenter.Part {
        Segmenter.Part(msn: msn, index: index, startDTS: 0, duration: duration, independent: independent,
                       data: ByteBuffer(bytes: [UInt8(msn & 0xFF), UInt8(index)]))
    }

    func fill(_ rendition: LiveRendition, segments: Range<Int>) {
        for msn in segments {
            rendition.open(msn: msn, startDTS: Int64(msn) * 180_000, programDateTime: Int64(msn) * 2_000)
            for i in 0..<4 { rendition.add(part(msn, i, independent: i == 0)) }
            rendition.close(msn: msn)
        }
    }

    @Test func segmentIsItsParts() {
        let rendition = LiveRendition(name: "source", configuration: PackagerConfiguration())
        rendition.begin(track: track, initSegment: ByteBuffer(bytes: [9]))
        fill(rendition, segments: 0..<1)
        #expect(rendition.segment(msn: 0) == [[0, 0], [0, 1], [0, 2], [0, 3]].map { ByteBuffer(bytes: $0) })
        #expect(rendition.part(msn: 0, index: 2) == ByteBuffer(bytes: [0, 2]))
        #expect(rendition.segment(msn: 1) == nil)
        #expect(rendition.initSegment(index: 0) == ByteBuffer(bytes: [9]))
    }

    /// The playlist lists 60 s; what left it stays downloadable for another window (RFC 8216 §6.2.2).
    @Test func windowListsSixtySecondsAndRetainsMore() throws {
        let rendition = LiveRendition(name: "source", configuration: PackagerConfiguration())
        rendition.begin(track: track, initSegment: ByteBuffer(bytes: [9]))
        fill(rendition, segments: 0..<100)
        let snapshot = try #require(rendition.snapshot())
        #expect(snapshot.segments.count == 30)
        #expect(snapshot.segments.first?.msn == 70)
        #expect(rendition.segment(msn: 45) != nil)
        #expect(rendition.segment(msn: 30) == nil)
        // Only recent segments keep their parts.
        #expect(rendition.part(msn: 99, index: 0) != nil)
        #expect(rendition.part(msn: 80, index: 0) == nil)
        #expect(snapshot.peakBitrate == 8 * 8 / 2)
    }

    @Test func reconnectAddsADiscontinuityAndCountsIt() throws {
        let config = PackagerConfiguration(window: MediaTime(ticks: 10, timescale: 1))
        let rendition = LiveRendition(name: "source", configuration: config)
        rendition.begin(track: track, initSegment: ByteBuffer(bytes: [9]))
        fill(rendition, segments: 0..<3)
        rendition.end(at: 1_000)
        #expect(rendition.snapshot()?.isLive == false)
        rendition.begin(track: track, initSegment: ByteBuffer(bytes: [9]))
        fill(rendition, segments: 3..<5)
        var snapshot = try #require(rendition.snapshot())
        #expect(snapshot.isLive)
        #expect(snapshot.segments.map(\.discontinuity) == [false, false, false, true, false])
        #expect(snapshot.discontinuitySequence == 0)
        #expect(snapshot.mapURIs == ["init.mp4"])
        // A different configuration gets its own init segment; old segments keep theirs.
        rendition.begin(track: track, initSegment: ByteBuffer(bytes: [8]))
        fill(rendition, segments: 5..<20)
        snapshot = try #require(rendition.snapshot())
        #expect(snapshot.mapURIs == ["init.mp4", "init-1.mp4"])
        #expect(snapshot.segments.allSatisfy { $0.mapIndex == 1 })
        // Segments 3 and 5 (with discontinuities) left the listed window.
        #expect(snapshot.discontinuitySequence == 2)
    }

    /// The event loop whose timers bound the waits.
    let loop = MultiThreadedEventLoopGroup.singleton.any()

    @Test func waitingRequestResumesWhenThePartArrives() async {
        let rendition = LiveRendition(name: "source", configuration: PackagerConfiguration())
        rendition.begin(track: track, initSegment: ByteBuffer(bytes: [9]))
        rendition.open(msn: 0, startDTS: 0, programDateTime: 0)
        rendition.add(part(0, 0))
        #expect(await rendition.wait(for: .part(msn: 0, index: 0), timeout: .milliseconds(1), on: loop))
        async let waited = rendition.wait(for: .part(msn: 0, index: 1), timeout: .seconds(10), on: loop)
        try? await Task.sleep(for: .milliseconds(50))
        rendition.add(part(0, 1))
        #expect(await waited)
    }

    @Test(.bug(id: "abandoned-waits", "issue 16: a wait cancelled or timed out after its answer left its id behind for good"))
    func answeredWaitsLeaveNothingBehind() async throws {
        let rendition = LiveRendition(name: "source", configuration: PackagerConfiguration())
        rendition.begin(track: track, initSegment: ByteBuffer(bytes: [9]))
        rendition.open(msn: 0, startDTS: 0, programDateTime: 0)
        rendition.add(part(0, 0))
        let count = 50
        let waits = (1...count).map { index in
            Task { await rendition.wait(for: .part(msn: 0, index: index), timeout: .seconds(30), on: loop) }
        }
        let deadline = ContinuousClock.now + .seconds(20)
        while rendition.waiting < count {
            try #require(ContinuousClock.now < deadline, "the waits never registered")
            try await Task.sleep(for: .milliseconds(5))
        }
        // One change answers them all; each request's task is then cancelled (its client went
        // away) before it has run on: the cancellation finds nothing left to cancel.
        rendition.add(part(0, count))
        for wait in waits { wait.cancel() }
        for wait in waits { _ = await wait.value }
        #expect(rendition.waiting == 0)
        // Nor do waits that time out.
        for _ in 0..<10 { #expect(await rendition.wait(for: .segment(msn: 9), timeout: .milliseconds(5), on: loop) == false) }
        #expect(rendition.waiting == 0)
    }

    @Test func waitingRequestTimesOut() async {
        let rendition = LiveRendition(name: "source", configuration: PackagerConfiguration())
        rendition.begin(track: track, initSegment: ByteBuffer(bytes: [9]))
        let start = ContinuousClock.now
        #expect(await rendition.wait(for: .segment(msn: 3), timeout: .milliseconds(100), on: loop) == false)
        #expect(ContinuousClock.now - start >= .milliseconds(100))
    }

    @Test func heldRequestsAreAnsweredOnTheirOwnLoops() async throws {
        let rendition = LiveRendition(name: "source", configuration: PackagerConfiguration())
        rendition.begin(track: track, initSegment: ByteBuffer(bytes: [9]))
        rendition.open(msn: 0, startDTS: 0, programDateTime: 0)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Array(group.makeIterator())
        let held = loops.map { loop in
            rendition.ready(for: .part(msn: 0, index: 0), timeout: .seconds(10), on: loop).map { ready in (ready, loop.inEventLoop) }
        }
        try await Task.sleep(for: .milliseconds(20))
        rendition.add(part(0, 0))
        for answer in held {
            let (ready, onItsLoop) = try await answer.get()
            #expect(ready)
            #expect(onItsLoop)
        }
        // What exists is ready at once; what does not comes false after the timeout.
        #expect(try await rendition.ready(for: .part(msn: 0, index: 0), timeout: .seconds(10), on: loops[0]).get())
        #expect(try await rendition.ready(for: .segment(msn: 5), timeout: .milliseconds(20), on: loops[1]).get() == false)
        try await group.shutdownGracefully()
    }

    @Test func aCancelledWaitEndsAtOnce() async {
        let rendition = LiveRendition(name: "source", configuration: PackagerConfiguration())
        rendition.begin(track: track, initSegment: ByteBuffer(bytes: [9]))
        let start = ContinuousClock.now
        let waiting = Task { await rendition.wait(for: .segment(msn: 3), timeout: .seconds(30), on: loop) }
        try? await Task.sleep(for: .milliseconds(20))
        waiting.cancel()
        #expect(await waiting.value == false)
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func aHeldRequestEndsWhenItsLoopShutsDown() async throws {
        let rendition = LiveRendition(name: "source", configuration: PackagerConfiguration())
        rendition.begin(track: track, initSegment: ByteBuffer(bytes: [9]))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let outcome = NIOLockedValueBox<Bool?>(nil)
        rendition.ready(for: .segment(msn: 3), timeout: .seconds(30), on: group.next()).whenSuccess { ready in
            outcome.withLockedValue { $0 = ready }
        }
        try await group.shutdownGracefully()
        #expect(outcome.withLockedValue { $0 } == false)
    }
}
