import CSRT
import Foundation
import Hub
import Ingest
import Logging
import ServiceLifecycle

/// The SRT listener: accepts publishers on `srt://HOST:PORT?streamid=publish:{streamKey}` (or
/// `#!::r=live/{streamKey},m=publish`), opens each publish through the ``PublishGateway`` and
/// demuxes its MPEG-TS into the channel's hub publisher (``MPEGTSPublishSession``). The same
/// thread calls the encoders of the configured pulls (``SRTIngestConfiguration/pulls``) and
/// publishes them the same way.
///
/// `run()` binds, serves on a thread of its own (``SRTListener``) until graceful shutdown or
/// cancellation, then closes every connection (each open publish is closed exactly once) and the
/// listener.
public final class SRTIngestService: Service, Sendable {
    private let configuration: SRTIngestConfiguration
    private let gateway: PublishGateway
    private let logger: Logger
    private let binding = ListenerBinding()
    /// libsrt's statistics of each live publish, by socket, refreshed by the listener's thread.
    private let statistics = SRTPublisherBoard()

    public init(configuration: SRTIngestConfiguration, gateway: PublishGateway, logger: Logger) {
        self.configuration = configuration
        self.gateway = gateway
        self.logger = logger
    }

    /// libsrt's statistics of every live SRT publish (RTT, loss, retransmissions, rate), at most
    /// ``SRTIngestConfiguration/statisticsInterval`` old, by channel and input.
    public var publishers: [SRTPublisherStatistics] {
        statistics.all
    }

    /// libsrt's statistics of the SRT publish that feeds `input` of `channel`, if one does.
    public func publisher(channel: String, input: InputRole) -> SRTPublisherStatistics? {
        statistics.statistics(channel: channel, input: input)
    }

    /// The port the listener is bound to; suspends until it is bound, throws if binding failed.
    public func boundPort() async throws -> Int {
        try await binding.port()
    }

    public func run() async throws {
        let listener: SRTListener
        do {
            listener = try SRTListener(configuration: configuration, gateway: gateway, logger: logger, statistics: statistics)
        } catch {
            logger.error("SRT listener could not start on \(configuration.host):\(configuration.port): \(error)")
            binding.resolve(.failure(error))
            throw error
        }
        binding.resolve(.success(listener.port))
        logger.info("SRT ingest listening", metadata: ["host": "\(configuration.host)", "port": "\(listener.port)"])
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    Thread {
                        // Named for top and /proc (Linux: at most 15 characters).
                        Thread.current.name = "antenne-srt"
                        listener.run()
                        done.resume()
                    }.start()
                }
            } onCancel: {
                listener.stop()
            }
        } onGracefulShutdown: {
            listener.stop()
        }
        logger.info("SRT ingest stopped")
    }
}
