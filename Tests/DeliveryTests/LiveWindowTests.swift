import NIOEmbedded
import Packager
import Testing
@testable import Delivery

/// The local packager seen through the live-window interface that delivery reads.
@Suite struct LiveWindowTests {
    @Test func thePackagerIsALiveWindow() async throws {
        let registry = PackagerRegistry()
        let fixture = try await LiveChannelFixture(name: "open", registry: registry)
        defer { fixture.stop() }
        let directory: any LiveWindowDirectory = registry
        let channel = try #require(directory.channel(named: "open"))
        #expect(channel === fixture.packager)
        #expect(directory.channel(named: "nobody") == nil)
        #expect(directory.channels.map(\.name) == ["open"])
        #expect(channel.isLive)
        #expect(channel.audioOnlyVariant == fixture.packager.plan.audioOnlyVariant)
        // The same renditions in the same order, video first.
        #expect(channel.listedRenditions.map(ObjectIdentifier.init) == fixture.packager.renditions.map(ObjectIdentifier.init))
        #expect(channel.listedRenditions.map(\.name) == ["source", "audio"])
        let source = try #require(channel.listedRendition(named: "source"))
        #expect(source === fixture.packager.rendition(named: "source"))
        #expect(channel.listedRendition(named: "nothing") == nil)
        let snapshot = try #require(source.snapshot())
        let last = try #require(snapshot.lastCompleteMSN)
        #expect(source.segment(msn: last) != nil)
        #expect(source.segment(msn: last) == fixture.packager.rendition(named: "source")?.segment(msn: last))
        #expect(await source.wait(for: .segment(msn: last), timeout: .milliseconds(10), on: EmbeddedEventLoop()))
        // Thumbnails come from the video rendition, whatever the height asked.
        #expect(channel.thumbnailRendition(height: 1080) === source)
    }
}
