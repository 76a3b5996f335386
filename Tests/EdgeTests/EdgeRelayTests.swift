import Delivery
@testable import Edge
import Foundation
import Manifests
import MediaCore
import Packager
import Testing

@Suite("Edge relay", .serialized)
struct EdgeRelayTests {
    @Test("an edge serves the origin's playlists, init segments, parts and segments, rendered by the same path")
    func servesWhatTheOriginServes() async throws {
        let origin = try await TestOrigin(channel: "tv")
        defer { origin.stop() }
        let edge = try await TestEdge(origins: [origin.url])
        defer { edge.stop() }

        // The first request waits for the edge to pull the channel.
        let master = try await HTTP.get("\(edge.url)/hls/tv/master.m3u8")
        #expect(master.status == 200)
        let originMaster = try await HTTP.get("\(origin.url)/hls/tv/master.m3u8")
        let names = try Compare.renditionNames(originMaster.text)
        #expect(try Compare.renditionNames(master.text) == names)
        let edgeVariants = try MultivariantPlaylist.parse(master.text)
        let originVariants = try MultivariantPlaylist.parse(originMaster.text)
        #expect(edgeVariants.renditions == originVariants.renditions)
        #expect(edgeVariants.variants.map(\.codecs) == originVariants.variants.map(\.codecs))
        #expect(edgeVariants.variants.map(\.resolution) == originVariants.variants.map(\.resolution))
        #expect(edgeVariants.variants.map(\.frameRate) == originVariants.variants.map(\.frameRate))

        #expect(try await settle { Compare.caughtUp(edge, with: origin) })
        #expect(try await HTTP.get("\(edge.url)/dash/tv/manifest.mpd").status == 200)
        for name in names {
            let edgeText = try await HTTP.get("\(edge.url)/hls/tv/\(name)/index.m3u8").text
            try Compare.samePlaylist(edge: edgeText, origin: try await HTTP.get("\(origin.url)/hls/tv/\(name)/index.m3u8").text)
            let playlist = try MediaPlaylist.parse(edgeText)
            var files = ["init.mp4"] + playlist.segments.map(\.uri)
            files += playlist.segments.flatMap(\.parts).map(\.uri) + (playlist.inProgressSegment?.parts.map(\.uri) ?? [])
            for file in files {
                let atEdge = try await HTTP.get("\(edge.url)/hls/tv/\(name)/\(file)")
                let atOrigin = try await HTTP.get("\(origin.url)/hls/tv/\(name)/\(file)")
                #expect(atEdge.status == 200, "\(name)/\(file)")
                #expect(atEdge.body == atOrigin.body, "\(name)/\(file)")
            }
        }
    }

    @Test("viewers held at the edge for the next part are answered when it arrives, with one origin request per part")
    func collapsesViewers() async throws {
        let origin = try await TestOrigin(channel: "tv")
        defer { origin.stop() }
        let edge = try await TestEdge(origins: [origin.url])
        defer { edge.stop() }
        #expect(try await HTTP.get("\(edge.url)/hls/tv/master.m3u8").status == 200)
        #expect(try await settle { Compare.caughtUp(edge, with: origin) })

        let playlist = try MediaPlaylist.parse(try await HTTP.get("\(edge.url)/hls/tv/source/index.m3u8").text)
        let hint = try #require(playlist.preloadHint?.uri)
        let numbers = hint.dropLast(4).split(separator: ".").compactMap { Int($0) }
        try #require(numbers.count == 2)
        let viewers = 24
        let answers = try await withThrowingTaskGroup(of: (Bool, HTTP.Answer).self) { group in
            for viewer in 0..<viewers {
                let reload = viewer % 2 == 1
                let url = reload
                    ? "\(edge.url)/hls/tv/source/index.m3u8?_HLS_msn=\(numbers[0])&_HLS_part=\(numbers[1])"
                    : "\(edge.url)/hls/tv/source/\(hint)"
                group.addTask { (reload, try await HTTP.get(url)) }
            }
            // Held at the edge: nothing to answer with yet.
            try await Task.sleep(for: .milliseconds(300))
            try await origin.feed(seconds: 8..<10)
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.count == viewers)
        #expect(try await settle { Compare.caughtUp(edge, with: origin) })
        // Counted before this test asks the origin anything itself: one origin request per part
        // the edge holds (the oldest segments were taken whole, one request each).
        // A request the edge had to make again (an answer slower than it waits, on a loaded
        // machine) may add one or two; 24 viewers asking the origin would add dozens.
        let upstream = origin.responses.count(.part) + origin.responses.count(.segment)
        let held = Compare.partsHeld(edge, channel: "tv")
        #expect(upstream >= held && upstream <= held + 2, "\(upstream) origin requests for \(held) parts held")
        #expect(origin.responses.count(.part) > 0)
        let part = try await HTTP.get("\(origin.url)/hls/tv/source/\(hint)")
        #expect(part.status == 200)
        for (reload, answer) in answers {
            #expect(answer.status == 200)
            if reload {
                #expect(answer.text.contains("URI=\"\(hint)\""))
            } else {
                #expect(answer.body == part.body)
            }
        }
    }

    @Test("when its origin fails, the edge pulls the same numbers from the next origin")
    func failsOver() async throws {
        let first = try await TestOrigin(channel: "tv")
        defer { first.stop() }
        let second = try await TestOrigin(channel: "tv")
        defer { second.stop() }
        let edge = try await TestEdge(origins: [first.url, second.url])
        defer { edge.stop() }
        #expect(try await HTTP.get("\(edge.url)/hls/tv/master.m3u8").status == 200)
        #expect(try await settle { Compare.caughtUp(edge, with: first) })
        // The origin the edge pulls from now (the first, unless a slow answer on a loaded machine
        // already moved it on) fails.
        let pulledFrom = edge.relay.currentOrigin
        let (failing, surviving) = pulledFrom == first.url ? (first, second) : (second, first)

        failing.stopServing()
        let start = ContinuousClock.now
        try await first.feed(seconds: 8..<10)
        try await second.feed(seconds: 8..<10)
        #expect(try await settle { Compare.caughtUp(edge, with: surviving) })
        let caughtUp = ContinuousClock.now - start
        #expect(try await settle { edge.relay.currentOrigin == surviving.url })
        #expect(caughtUp < .seconds(10), "caught up in \(caughtUp)")
        let text = try await HTTP.get("\(edge.url)/hls/tv/source/index.m3u8").text
        try Compare.samePlaylist(edge: text, origin: try await HTTP.get("\(surviving.url)/hls/tv/source/index.m3u8").text)
        let last = try #require(try MediaPlaylist.parse(text).segments.last)
        #expect(try await HTTP.get("\(edge.url)/hls/tv/source/\(last.uri)").body == (try await HTTP.get("\(surviving.url)/hls/tv/source/\(last.uri)").body))
    }

    @Test("an edge verifies viewers' tokens with the origin's keys and signs its own to pull")
    func verifiesTokens() async throws {
        let signer = try PlaybackSigner(keys: PlaybackKeys([(id: "k1", secret: Array(repeating: 7, count: 32))]))
        let stranger = try PlaybackSigner(keys: PlaybackKeys([(id: "k2", secret: Array(repeating: 9, count: 32))]))
        let origin = try await TestOrigin(channel: "tv", access: PlaybackAccess(signer: signer, tokenChannels: ["tv"]))
        defer { origin.stop() }
        let edge = try await TestEdge(origins: [origin.url], signer: signer)
        defer { edge.stop() }
        let expires = TestClock.now() / 1_000 + 600

        #expect(try await HTTP.get("\(edge.url)/hls/tv/master.m3u8").status == 401)
        let token = try signer.sign(channel: "tv", expiresAt: expires)
        let master = try await HTTP.get("\(edge.url)/hls/tv/master.m3u8?token=\(token)")
        #expect(master.status == 200)
        #expect(master.text.contains("index.m3u8?token=\(token)"))
        #expect(try await settle { Compare.caughtUp(edge, with: origin) })
        let playlist = try await HTTP.get("\(edge.url)/hls/tv/source/index.m3u8?token=\(token)")
        #expect(playlist.status == 200)
        #expect(try await HTTP.get("\(edge.url)/hls/tv/source/init.mp4").status == 401)
        #expect(try await HTTP.get("\(edge.url)/hls/tv/source/init.mp4?token=\(token)").status == 200)
        let forged = try stranger.sign(channel: "tv", expiresAt: expires)
        #expect(try await HTTP.get("\(edge.url)/hls/tv/source/index.m3u8?token=\(forged)").status == 403)
        let otherChannel = try signer.sign(channel: "radio", expiresAt: expires)
        #expect(try await HTTP.get("\(edge.url)/hls/tv/source/index.m3u8?token=\(otherChannel)").status == 403)
    }

    @Test("an edge of an edge serves the origin's bytes")
    func chains() async throws {
        let origin = try await TestOrigin(channel: "tv")
        defer { origin.stop() }
        let upper = try await TestEdge(origins: [origin.url])
        defer { upper.stop() }
        let lower = try await TestEdge(origins: [upper.url])
        defer { lower.stop() }
        #expect(try await HTTP.get("\(lower.url)/hls/tv/master.m3u8").status == 200)
        #expect(try await settle { Compare.caughtUp(lower, with: origin) })
        let text = try await HTTP.get("\(lower.url)/hls/tv/source/index.m3u8").text
        let last = try #require(try MediaPlaylist.parse(text).segments.last)
        #expect(try await HTTP.get("\(lower.url)/hls/tv/source/\(last.uri)").body == (try await HTTP.get("\(origin.url)/hls/tv/source/\(last.uri)").body))
    }

    @Test("the edge's tracker takes a channel's viewers only while its origin has P2P on")
    func p2pFollowsTheOrigin() async throws {
        let origin = try await TestOrigin(channel: "tv")
        defer { origin.stop() }
        origin.p2p.withLockedValue { $0 = true }
        let edge = try await TestEdge(origins: [origin.url])
        defer { edge.stop() }
        #expect(!edge.relay.directory.isP2PEnabled("tv"), "not pulled yet")
        #expect(try await HTTP.get("\(edge.url)/hls/tv/master.m3u8").status == 200)
        // Known when discovery ends, before the first viewer can join.
        #expect(edge.relay.directory.isP2PEnabled("tv"))
        // Turned off at the origin: off at the edge after its next sweep.
        origin.p2p.withLockedValue { $0 = false }
        await edge.relay.directory.refreshP2P()
        #expect(!edge.relay.directory.isP2PEnabled("tv"))
        #expect(!edge.relay.directory.isP2PEnabled("other"))
    }

    @Test("DVR requests go through to the origin")
    func passesTheArchiveThrough() async throws {
        let origin = try await TestOrigin(channel: "tv")
        defer { origin.stop() }
        let edge = try await TestEdge(origins: [origin.url])
        defer { edge.stop() }
        let before = origin.responses.count(.multivariant)
        let answer = try await HTTP.get("\(edge.url)/hls/tv/master.m3u8?dvr=600")
        #expect(answer.status == 200)
        #expect(answer.text.contains("index.m3u8?dvr=600"))
        #expect(origin.responses.count(.multivariant) == before + 1)
        // Nothing was pulled for it: the edge holds no window of the channel.
        #expect(edge.relay.directory.channel(named: "tv") == nil)
        #expect(try await HTTP.get("\(edge.url)/vod/no-such-recording/master.m3u8").status == 404)
    }

    @Test("with a disk cache, a DVR playlist asked for twice is asked of the origin once, and a 404 every time")
    func cachesWhatItPassesThrough() async throws {
        let origin = try await TestOrigin(channel: "tv")
        defer { origin.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-edge-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = try PassThroughCache(directory: directory, maxBytes: 16 << 20)
        let edge = try await TestEdge(origins: [origin.url], cache: cache)
        defer { edge.stop() }
        let before = origin.responses.count(.multivariant)
        let first = try await HTTP.get("\(edge.url)/hls/tv/master.m3u8?dvr=600")
        let second = try await HTTP.get("\(edge.url)/hls/tv/master.m3u8?dvr=600")
        #expect(first.status == 200 && second.status == 200)
        #expect(second.text == first.text)
        #expect(origin.responses.count(.multivariant) == before + 1)
        #expect(cache.figures.hits == 1)
        #expect(try await HTTP.get("\(edge.url)/vod/no-such-recording/master.m3u8").status == 404)
        #expect(try await HTTP.get("\(edge.url)/vod/no-such-recording/master.m3u8").status == 404)
        #expect(cache.figures.entries == 1)
    }

    @Test("an unknown channel is a 404 at the edge, and is not kept")
    func unknownChannel() async throws {
        let origin = try await TestOrigin(channel: "tv")
        defer { origin.stop() }
        let edge = try await TestEdge(origins: [origin.url])
        defer { edge.stop() }
        #expect(try await HTTP.get("\(edge.url)/hls/radio/master.m3u8").status == 404)
        #expect(edge.relay.directory.channel(named: "radio") == nil)
    }

    @Test("a channel nobody asks for is no longer pulled, and is pulled again when asked for")
    func dropsIdleChannels() async throws {
        let origin = try await TestOrigin(channel: "tv")
        defer { origin.stop() }
        let edge = try await TestEdge(origins: [origin.url])
        defer { edge.stop() }
        #expect(try await HTTP.get("\(edge.url)/hls/tv/master.m3u8").status == 200)
        edge.relay.directory.dropIdle(after: .seconds(60))
        #expect(edge.relay.directory.pulled.map(\.name) == ["tv"])
        try await Task.sleep(for: .milliseconds(50))
        edge.relay.directory.dropIdle(after: .milliseconds(10))
        #expect(edge.relay.directory.pulled.isEmpty)
        #expect(edge.relay.statistics.snapshot.channelsDropped == 1)
        #expect(try await HTTP.get("\(edge.url)/hls/tv/master.m3u8").status == 200)
        #expect(edge.relay.statistics.snapshot.channelsStarted == 2)
    }

    @Test("an edge that fell a whole window behind lists what it missed as gaps and goes on")
    func skipsWhatItMissed() async throws {
        let first = try await TestOrigin(channel: "tv")
        defer { first.stop() }
        // Lists 6 s: by the time the edge comes to it, what the edge needs next is gone.
        let second = try await TestOrigin(channel: "tv", configuration: PackagerConfiguration(window: MediaTime(ticks: 6_000, timescale: 1_000)))
        defer { second.stop() }
        let edge = try await TestEdge(origins: [first.url, second.url])
        defer { edge.stop() }
        #expect(try await HTTP.get("\(edge.url)/hls/tv/master.m3u8").status == 200)
        #expect(try await settle { Compare.caughtUp(edge, with: first) })
        let had = try #require(edge.relay.directory.channel(named: "tv")?.listedRendition(named: "source")?.snapshot()?.lastPart)

        try await second.feed(seconds: 8..<30)
        first.stopServing()
        #expect(try await settle { Compare.caughtUp(edge, with: second) })
        let playlist = try MediaPlaylist.parse(try await HTTP.get("\(edge.url)/hls/tv/source/index.m3u8").text)
        let numbers = playlist.segments.indices.map { Int(playlist.mediaSequence) + $0 }
        let gaps = zip(numbers, playlist.segments).filter { $0.1.gap }.map(\.0)
        let listedAtSecond = try MediaPlaylist.parse(try await HTTP.get("\(second.url)/hls/tv/source/index.m3u8").text).mediaSequence
        #expect(!gaps.isEmpty)
        #expect(gaps.allSatisfy { $0 > had.msn && $0 < Int(listedAtSecond) })
        #expect(numbers.last! >= Int(listedAtSecond))
    }
}
