import Channels
import Control
import Foundation
import ServiceLifecycle

extension RunningServer {
    /// The slate player of every channel with a slate or a schedule, and the sync that keeps it
    /// following the control plane (where the configured slates are declared).
    static func playout(
        server: AntenneServer, store: ControlStore, publishURL: @escaping @Sendable (String) async throws -> String
    ) -> [any Service] {
        let configuration = server.configuration
        let keys = Dictionary(configuration.channels.compactMap { channel in channel.slate.map { (channel.name, $0.streamKey) } }) { first, _ in first }
        let board = PlayoutBoard()
        return [
            PlayoutSync(
                store: store, board: board, configuredKeys: keys, makeKey: { "playout-" + ServeCommand.randomKey() },
                logger: server.logger),
            SlateService(
                hub: server.hub, ffmpeg: configuration.ffmpegPath, ffprobe: ffprobePath(besides: configuration.ffmpegPath), board: board, media: configuration.mediaDirectory.map(MediaLibrary.init), logger: server.logger, publishURL: publishURL),
        ]
    }

    /// FFmpeg's ffprobe: the one next to the configured ffmpeg.
    static func ffprobePath(besides ffmpeg: String) -> String {
        URL(fileURLWithPath: ffmpeg).deletingLastPathComponent().appendingPathComponent("ffprobe").path
    }
}
