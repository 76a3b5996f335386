import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle

struct TestSourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-source",
        abstract: "Publish a test pattern with a burnt-in UTC clock and a beeping tone, through ffmpeg, until stopped."
    )

    @Option(name: .long, help: "Where to publish, e.g. rtmp://localhost:1935/live/KEY.")
    var url: String

    @Option(name: .long, help: "Frame size, WIDTHxHEIGHT.")
    var size = "1280x720"

    @Option(name: .long, help: "Frames per second.")
    var fps = 30

    func run() async throws {
        let dims = size.split(separator: "x").compactMap { Int($0) }
        guard dims.count == 2, (16...7680).contains(dims[0]), (16...4320).contains(dims[1]), dims[0] % 2 == 0, dims[1] % 2 == 0 else {
            throw ValidationError("--size wants WIDTHxHEIGHT with even numbers, e.g. 1280x720")
        }
        guard (1...120).contains(fps) else { throw ValidationError("--fps must be between 1 and 120") }
        guard url.hasPrefix("rtmp://") || url.hasPrefix("rtmps://") || url.hasPrefix("srt://") else {
            throw ValidationError("--url must be an rtmp://, rtmps:// or srt:// URL")
        }
        let arguments = TestSource.ffmpegArguments(url: url, width: dims[0], height: dims[1], frameRate: fps)
        let service = FFmpegPublisherService(ffmpeg: ServerConfiguration().ffmpegPath, logger: Logger(label: "antenne.test-source")) { arguments }
        let group = ServiceGroup(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "antenne"))
        try await group.run()
    }
}
