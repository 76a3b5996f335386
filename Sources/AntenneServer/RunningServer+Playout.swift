import Channels
import Control
import Foundation
import ServiceLifecycle

extension RunningServer {
    /// The slate player of every channel with a configured slate or a schedule, and the sync that
    /// keeps it following the schedules of the control plane.
    static func playout(
        server: AntenneServer, store: ControlStore, publishURL: @escaping @Sendable (String) async throws -> String
    ) -> [any Service] {
        let configuration = server.configuration
        let slates = Dictionary(configuration.channels.compactMap { channel in channel.slate.map { (channel.name, $0) } }) { first, _ in first }
        let board = PlayoutBoard()
        return [
            PlayoutSync(
                store: store, board: board, configuredKeys: slates.mapValues(\.streamKey), makeKey: { "playout-" + ServeCommand.randomKey() },
                logger: server.logger),
            SlateService(
                hub: server.hub, ffmpeg: configuration.ffmpegPath, ffprobe: ffprobePath(besides: configuration.ffmpegPath), slates: slates,
                board: board, media: configuration.mediaDirectory.map(MediaLibrary.init), logger: server.logger, publishURL: publishURL),
        ]
    }

    /// FFmpeg's ffprobe: the one next to the configured ffmpeg.
    static func ffprobePath(besides ffmpeg: String) -> String {
        URL(fileURLWithPath: ffmpeg).deletingLastPathComponent().appendingPathComponent("ffprobe").path
    }
}
