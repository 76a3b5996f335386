import Foundation
import Hub
import Logging
import NIOPosix
import Testing
@testable import Restream

@Suite struct RestreamerTests {
    func destination(_ url: String, id: UUID = UUID(), key: String? = nil) throws -> RestreamDestination {
        RestreamDestination(id: id, url: try DestinationURL(url, streamKey: key))
    }

    @Test(.timeLimit(.minutes(1)))
    func applyStartsTheNewAndChangedAndStopsTheGone() async throws {
        let restreamer = Restreamer(
            hub: Hub(), ffmpeg: "/bin/false", eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test"))
        let youtube = try destination("rtmp://a.rtmp.youtube.com/live2", key: "k1")
        let twitch = try destination("rtmps://live.twitch.tv/app", key: "k2")
        restreamer.apply([youtube, twitch], to: "main")
        restreamer.apply([try destination("rtmp://other/live")], to: "second")
        #expect(restreamer.pushers.count == 3)
        #expect(restreamer.status(of: youtube.id)?.state == .idle)
        let before = try #require(restreamer.pushers.first { $0.destination.id == youtube.id })

        // Twitch's key changes: its push starts over; YouTube's goes on as it was.
        let rotated = try destination("rtmps://live.twitch.tv/app", id: twitch.id, key: "k3")
        restreamer.apply([youtube, rotated], to: "main")
        #expect(restreamer.pushers.first { $0.destination.id == youtube.id } === before)
        #expect(restreamer.pushers.first { $0.destination.id == twitch.id }?.destination == rotated)

        // The channel is renamed: its pushes move to the new name.
        restreamer.apply([youtube], to: "renamed")
        #expect(restreamer.pushers.first { $0.destination.id == youtube.id }?.channel == "renamed")
        #expect(restreamer.pushers.count == 3)

        restreamer.retain(channels: ["renamed"])
        #expect(restreamer.pushers.map(\.destination.id) == [youtube.id])
        await restreamer.shutdown()
        #expect(restreamer.pushers.isEmpty)
        // Nothing starts after shutdown.
        restreamer.apply([twitch], to: "main")
        #expect(restreamer.pushers.isEmpty)
    }
}
