import Hub
import MediaCore
import NIOCore
import Testing

@Suite struct HubReaderTests {
    static let track = TrackInfo(codec: .aac, timescale: 48_000, decoderConfig: [0x11, 0x90], codecString: "mp4a.40.2")

    static func sample(_ n: Int) -> HubEvent {
        .sample(track: 0, Sample(dts: Int64(n) * 1024, isSync: true, data: ByteBuffer(bytes: [UInt8(truncatingIfNeeded: n)])))
    }

    static func dts(_ events: [HubEvent]) -> [Int64] {
        events.compactMap { if case .sample(_, let s) = $0 { s.dts } else { nil } }
    }

    /// Everything sent while the reader was not reading comes in one batch, in order.
    @Test func batchesInOrder() async throws {
        let channel = Hub().channel(named: "c")
        let reader = channel.reader(capacity: 16)
        let publisher = try #require(channel.acquirePublisher())
        publisher.send(.tracks([Self.track]))
        for n in 0..<5 { publisher.send(Self.sample(n)) }
        let batch = try #require(await reader.next())
        guard case .tracks = batch.first else { Issue.record("tracks first"); return }
        #expect(Self.dts(batch) == [0, 1024, 2048, 3072, 4096])
        publisher.send(Self.sample(5))
        #expect(Self.dts(try #require(await reader.next())) == [5120])
        reader.finish()
    }

    /// A reader that subscribes during a session gets the session's track set first.
    @Test func lateReaderGetsTracksFirst() async throws {
        let channel = Hub().channel(named: "c")
        let publisher = try #require(channel.acquirePublisher())
        publisher.send(.tracks([Self.track]))
        publisher.send(Self.sample(0))
        let reader = channel.reader(capacity: 16)
        publisher.send(Self.sample(1))
        let batch = try #require(await reader.next())
        #expect(batch.count == 2)
        if case .tracks(let tracks) = batch[0] { #expect(tracks == [Self.track]) } else { Issue.record("tracks first") }
        #expect(Self.dts(batch) == [1024])
        reader.finish()
    }

    /// A reader that lags `capacity` events is cut off and counted: it gets what was queued, then
    /// nil, and no longer receives events; the publisher is never held up.
    @Test func overflowCutsTheReaderOff() async throws {
        let channel = Hub().channel(named: "c")
        let reader = channel.reader(capacity: 4)
        let other = channel.reader(capacity: 100)
        let publisher = try #require(channel.acquirePublisher())
        for n in 0..<10 { publisher.send(Self.sample(n)) }
        #expect(channel.statistics.readersDisconnected == 1)
        #expect(Self.dts(try #require(await reader.next())) == [0, 1024, 2048, 3072])
        #expect(await reader.next() == nil)
        #expect(Self.dts(try #require(await other.next())).count == 10)
        publisher.send(Self.sample(10))
        #expect(channel.statistics.readersDisconnected == 1)
        #expect(Self.dts(try #require(await other.next())) == [10240])
        other.finish()
    }

    /// A waiting reader wakes up for the next event, and for the end of the session.
    @Test func waitingReaderWakesUp() async throws {
        let channel = Hub().channel(named: "c")
        let reader = channel.reader(capacity: 16)
        let publisher = try #require(channel.acquirePublisher())
        let task = Task { () -> [HubEvent] in
            var all: [HubEvent] = []
            while let batch = await reader.next() {
                all += batch
                if case .end = all.last { break }
            }
            return all
        }
        try await Task.sleep(for: .milliseconds(20))
        publisher.send(Self.sample(0))
        try await Task.sleep(for: .milliseconds(20))
        publisher.finish()
        let events = await task.value
        #expect(Self.dts(events) == [0])
        if case .end = events.last {} else { Issue.record("ends with .end") }
        reader.finish()
    }

    /// Cancelling the reading task ends the reader: next() returns nil and the channel forgets it.
    @Test func cancellationEndsTheReader() async throws {
        let channel = Hub().channel(named: "c")
        let reader = channel.reader(capacity: 16)
        let task = Task { await reader.next() }
        try await Task.sleep(for: .milliseconds(20))
        task.cancel()
        #expect(await task.value == nil)
        #expect(await reader.next() == nil)
        let publisher = try #require(channel.acquirePublisher())
        publisher.send(Self.sample(0))
        #expect(channel.statistics.readersDisconnected == 0)
    }
}
