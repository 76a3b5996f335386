import Foundation
import Hub
import Logging
import NIOPosix
import Observability
@testable import Restream
import Testing

/// Each restream destination's push on the metrics page (README "Restreaming").
@Suite struct RestreamMetricsTests {
    /// Bytes, dropped samples and whether bytes go out, labelled by channel and destination id;
    /// the destination's URL and stream key never appear; a destination removed leaves the page.
    @Test(.timeLimit(.minutes(1)))
    func aDestinationsFiguresByIDNeverByURL() async throws {
        let restreamer = Restreamer(
            hub: Hub(), ffmpeg: "/bin/false", eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test"))
        let id = UUID()
        let destination = RestreamDestination(id: id, url: try DestinationURL("rtmp://a.rtmp.youtube.com/live2", streamKey: "s3cr3t-key"))
        restreamer.apply([destination], to: "news")
        let exposition = MetricsExposition(collectors: [ServerCollectors.restream(restreamer)])
        let labels = #"{channel="news",destination="\#(id.uuidString.lowercased())"}"#
        let idle = exposition.render()
        #expect(idle.contains("antenne_restream_up\(labels) 0.0"), "\(idle)")
        #expect(idle.contains("antenne_restream_bytes_total\(labels) 0"))

        let pusher = try #require(restreamer.pushers.first)
        pusher.update { status in
            status.state = .pushing
            status.bytesSent = 1_500_000
            status.droppedSamples = 12
        }
        let pushing = exposition.render()
        #expect(pushing.contains("antenne_restream_up\(labels) 1.0"), "\(pushing)")
        #expect(pushing.contains("antenne_restream_bytes_total\(labels) 1500000"))
        #expect(pushing.contains("antenne_restream_dropped_samples_total\(labels) 12"))
        #expect(!pushing.contains("s3cr3t-key") && !pushing.contains("youtube"))

        restreamer.apply([], to: "news")
        #expect(!exposition.render().contains("antenne_restream"))
        await restreamer.shutdown()
    }
}
