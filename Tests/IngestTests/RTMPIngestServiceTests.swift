import Hub
import Ingest
import NIOCore
import Testing

/// End to end against real ffmpeg. Serialized: each test runs encoders, and the machine is small.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct RTMPIngestServiceTests {
    static let keyA = "s3cr3t-k3y-A"

    func isAVCSequenceHeader(_ m: RecordingSink.Media) -> Bool { m.kind == .video && m.header.starts(with: [0x17, 0x00]) }
    func isAACSequenceHeader(_ m: RecordingSink.Media) -> Bool { m.kind == .audio && m.header.count >= 2 && m.header[0] >> 4 == 10 && m.header[1] == 0 }
    func isKeyFrame(_ m: RecordingSink.Media) -> Bool { m.kind == .video && m.header.starts(with: [0x17, 0x01]) }

    func assertMonotonic(_ media: [RecordingSink.Media], kind: FLVTagKind) {
        let timestamps = media.filter { $0.kind == kind }.map(\.timestamp)
        #expect(!timestamps.isEmpty)
        #expect(zip(timestamps, timestamps.dropFirst()).allSatisfy { $0 <= $1 }, "\(kind) timestamps go backwards: \(timestamps)")
    }

    @Test func ffmpegPublishReachesTheSink() async throws {
        try await withIngest { ingest in
            let result = try await ffmpegPublish(port: ingest.port, key: Self.keyA)
            #expect(result.status == 0, "ffmpeg failed: \(result.stderr)")
            #expect(try await eventually { ingest.sinks.all.first?.snapshot.closeCount == 1 })

            let sinks = ingest.sinks.all
            try #require(sinks.count == 1)
            #expect(sinks[0].channelName == "studio")
            let state = sinks[0].snapshot
            #expect(state.closeCount == 1)
            let metadata = try #require(state.metadata.first)
            #expect(metadata["width"] == .number(320))
            #expect(metadata["height"] == .number(240))
            #expect(metadata["videocodecid"] == .number(7))
            #expect(metadata["audiocodecid"] == .number(10))

            #expect(state.media.first(where: { $0.kind == .video }).map(isAVCSequenceHeader) == true)
            #expect(state.media.first(where: { $0.kind == .audio }).map(isAACSequenceHeader) == true)
            #expect(state.media.filter(isKeyFrame).count >= 3, "3 s at a GOP of 30 frames")
            let lastVideo = state.media.last(where: { $0.kind == .video })?.timestamp ?? 0
            #expect(lastVideo >= 2800)
            assertMonotonic(state.media, kind: .video)
            assertMonotonic(state.media, kind: .audio)

            #expect(ingest.hub.channel(named: "studio").isLive == false, "the publisher was released")
            #expect(!ingest.logs.all.contains { $0.contains(Self.keyA) }, "the stream key is never logged")
            #expect(ingest.logs.all.contains { $0.contains("RTMP publish started") && $0.contains("channel=studio") })
        }
    }

    @Test func unknownKeyIsRefused() async throws {
        try await withIngest { ingest in
            let result = try await ffmpegPublish(port: ingest.port, key: "not-a-k3y")
            #expect(result.status != 0)
            #expect(ingest.sinks.all.isEmpty)
            let lines = ingest.logs.all
            #expect(lines.contains { $0.contains("unknown stream key") })
            #expect(!lines.contains { $0.contains("not-a-k3y") }, "a refused key is never logged")
        }
    }

    @Test func secondPublisherIsRefusedWhileTheFirstKeepsGoing() async throws {
        try await withIngest { ingest in
            async let first = ffmpegPublish(port: ingest.port, key: Self.keyA, seconds: 4)
            #expect(try await eventually { (ingest.sinks.all.first?.snapshot.media.count ?? 0) > 10 })
            let second = try await ffmpegPublish(port: ingest.port, key: Self.keyA, seconds: 2)
            #expect(second.status != 0, "the second publisher must be refused")
            let mediaWhenRefused = ingest.sinks.all.first?.snapshot.media.count ?? 0

            let firstResult = try await first
            #expect(firstResult.status == 0, "the first publisher must carry on: \(firstResult.stderr)")
            #expect(try await eventually { ingest.sinks.all.first?.snapshot.closeCount == 1 })
            #expect(ingest.sinks.all.count == 1)
            let state = try #require(ingest.sinks.all.first).snapshot
            #expect(state.media.count > mediaWhenRefused)
            #expect(state.closeCount == 1)
            #expect(ingest.logs.all.contains { $0.contains("already has a publisher") })
        }
    }

    @Test func withdrawnGrantDisconnectsOnlyItsPublisher() async throws {
        try await withIngest { ingest in
            async let studio = ffmpegPublish(port: ingest.port, key: Self.keyA, seconds: 10)
            async let newsroom = ffmpegPublish(port: ingest.port, key: "s3cr3t-k3y-B", seconds: 4)
            #expect(try await eventually { ingest.publishes.grants.count == 2 })
            #expect(Set(ingest.publishes.grants) == [
                PublishGrant(channel: "studio", credential: "key-of-studio"),
                PublishGrant(channel: "newsroom", credential: "key-of-newsroom"),
            ])

            let started = ContinuousClock.now
            #expect(ingest.publishes.disconnect(reason: "stream key revoked") { $0.credential == "key-of-studio" } == 1)
            let result = try await studio
            #expect(ContinuousClock.now - started < .seconds(5), "ffmpeg sees the connection close at once")
            #expect(result.status != 0, "the disconnected publisher loses its connection")
            #expect(try await eventually { ingest.hub.channel(named: "studio").isLive == false })
            #expect(ingest.publishes.grants == [PublishGrant(channel: "newsroom", credential: "key-of-newsroom")])

            let other = try await newsroom
            #expect(other.status == 0, "the other publisher goes on: \(other.stderr)")
            #expect(try await eventually { ingest.publishes.grants.isEmpty })
            #expect(ingest.logs.all.filter { $0.contains("publisher disconnected: stream key revoked") }.count == 1)
        }
    }

    @Test func abusivePeersCloseOnlyTheirOwnConnection() async throws {
        try await withIngest(configure: { $0.handshakeTimeout = .seconds(1) }) { ingest in
            async let publish = ffmpegPublish(port: ingest.port, key: Self.keyA, seconds: 3)
            #expect(try await eventually { (ingest.sinks.all.first?.snapshot.media.count ?? 0) > 5 })

            // Random bytes: not RTMP version 3.
            let random = try await rawConnection(port: ingest.port, group: ingest.group)
            var noise = ByteBuffer()
            noise.writeInteger(UInt8(0x47))
            noise.writeBytes((0..<4000).map { _ in UInt8.random(in: 0...255) })
            try await random.writeAndFlush(noise)
            #expect(await serverCloses(random, within: .seconds(3)), "random bytes")

            // A huge Set Chunk Size after a valid handshake.
            let chunkSize = try await rawConnection(port: ingest.port, group: ingest.group)
            var bytes = handshakeBytes()
            bytes.writeBytes([0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0])
            bytes.writeInteger(UInt32(0x7FFF_FFFF))
            try await chunkSize.writeAndFlush(bytes)
            #expect(await serverCloses(chunkSize, within: .seconds(3)), "huge Set Chunk Size")

            // A message header announcing 16 MiB.
            let length = try await rawConnection(port: ingest.port, group: ingest.group)
            bytes = handshakeBytes()
            bytes.writeBytes([0x06, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x09, 1, 0, 0, 0])
            try await length.writeAndFlush(bytes)
            #expect(await serverCloses(length, within: .seconds(3)), "huge message length")

            // Too many chunk streams.
            let streams = try await rawConnection(port: ingest.port, group: ingest.group)
            bytes = handshakeBytes()
            for csid in UInt8(3)..<63 { bytes.writeBytes([csid, 0, 0, 0, 0, 0, 1, 0x08, 1, 0, 0, 0, 0xAF]) }
            for csid in UInt8(0)..<10 { bytes.writeBytes([0x00, csid, 0, 0, 0, 0, 0, 1, 0x08, 1, 0, 0, 0, 0xAF]) }
            try await streams.writeAndFlush(bytes)
            #expect(await serverCloses(streams, within: .seconds(3)), "too many chunk streams")

            // A handshake that stalls after C0 and part of C1.
            let stalled = try await rawConnection(port: ingest.port, group: ingest.group)
            var partial = ByteBuffer()
            partial.writeInteger(UInt8(3))
            partial.writeRepeatingByte(0, count: 100)
            try await stalled.writeAndFlush(partial)
            #expect(await serverCloses(stalled, within: .seconds(3)), "stalled handshake")

            let result = try await publish
            #expect(result.status == 0, "the concurrent publish must carry on: \(result.stderr)")
            #expect(try await eventually { ingest.sinks.all.first?.snapshot.closeCount == 1 })
            #expect(ingest.sinks.all.count == 1)

            let warnings = ingest.logs.all.filter { $0.hasPrefix("warning") }
            #expect(warnings.count == 5, "one line per bad connection: \(warnings)")
            #expect(warnings.contains { $0.contains("unsupported RTMP version 71") })
            #expect(warnings.contains { $0.contains("invalid Set Chunk Size 2147483647") })
            #expect(warnings.contains { $0.contains("message length 16777215") })
            #expect(warnings.contains { $0.contains("more than 64 chunk streams") })
            #expect(warnings.contains { $0.contains("handshake timed out") })
            #expect(warnings.allSatisfy { $0.contains("peer=") })
        }
    }

    @Test func sinkFailureClosesTheConnectionOnce() async throws {
        try await withIngest(sinks: SinkFactory(throwAtMessage: 20)) { ingest in
            let result = try await ffmpegPublish(port: ingest.port, key: Self.keyA, seconds: 3)
            #expect(result.status != 0, "ffmpeg sees the connection drop")
            let sink = try #require(ingest.sinks.all.first)
            #expect(sink.snapshot.media.count == 20, "nothing is delivered after the throw")
            #expect(sink.snapshot.closeCount == 1)
            let warnings = ingest.logs.all.filter { $0.hasPrefix("warning") }
            #expect(warnings.count == 1)
            #expect(warnings.first?.contains("media sink of channel studio rejected") == true)
        }
    }

    /// Regression: handshake bytes split over several reads were dropped, so a slow client's
    /// handshake never completed and it was closed for a handshake timeout instead.
    @Test func handshakeSplitAcrossReads() async throws {
        try await withIngest { ingest in
            let client = try await rawConnection(port: ingest.port, group: ingest.group)
            var bytes = handshakeBytes()
            bytes.writeBytes([0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0])
            bytes.writeInteger(UInt32(0))
            for size in [1, 700, 1000, 1000] {
                let piece = bytes.readSlice(length: min(size, bytes.readableBytes))!
                try await client.writeAndFlush(piece)
                try await Task.sleep(for: .milliseconds(30))
            }
            try await client.writeAndFlush(bytes)
            #expect(await serverCloses(client, within: .seconds(3)))
            #expect(ingest.logs.all.contains { $0.contains("invalid Set Chunk Size 0") }, "the handshake completed and the chunk stream was read")
        }
    }

    @Test func idleConnectionIsClosed() async throws {
        try await withIngest(configure: { $0.idleTimeout = .milliseconds(500) }) { ingest in
            let idle = try await rawConnection(port: ingest.port, group: ingest.group)
            try await idle.writeAndFlush(handshakeBytes())
            #expect(await serverCloses(idle, within: .seconds(3)))
            #expect(ingest.logs.all.contains { $0.contains("no data received within the idle timeout") })
        }
    }

    @Test func shutdownClosesOpenPublishes() async throws {
        let sinks = SinkFactory()
        try await withIngest(sinks: sinks) { ingest in
            async let publish = ffmpegPublish(port: ingest.port, key: Self.keyA, seconds: 10)
            #expect(try await eventually { (sinks.all.first?.snapshot.media.count ?? 0) > 5 })
            await ingest.serviceGroup.triggerGracefulShutdown()
            let result = try await publish
            #expect(result.status != 0, "ffmpeg loses its connection at shutdown")
        }
        #expect(sinks.all.count == 1)
        #expect(sinks.all.first?.snapshot.closeCount == 1)
    }
}
