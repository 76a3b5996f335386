import Archive
import Channels
import Control
import Delivery
import Foundation
import Hub
import Hummingbird
import Ingest
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Packager
import ServiceLifecycle
import SRTIngest
import Transcoder

/// The only place that wires modules together: hub, packagers, RTMP ingest, the control plane and
/// HTTP delivery, run as Services in one ServiceGroup.
///
/// What needs no database is built here; ``run(handleSignals:)`` opens the control plane's store,
/// declares the configured channels into it, and only then builds the parts that use it
/// (``RunningServer``), so nothing is filled in after construction.
public final class AntenneServer: Sendable {
    public let configuration: ServerConfiguration
    public let hub: Hub
    public let packagers = PackagerRegistry()
    let logger: Logger
    let eventLoopGroup: MultiThreadedEventLoopGroup
    let runtime: ChannelRuntime
    let playbackAccess: PlaybackAccess
    let contentProtection: ContentProtection
    let archiveStore: any ArchiveStore
    let archive: ArchiveWriter
    let archiveReader: ArchiveReader
    /// The certificate and key of RTMPS and HTTPS; nil runs neither.
    let tls: TLSCredentials?
    /// The bound port of each listener, once it is bound.
    let listeners = NIOLockedValueBox<[Listener: Int]>([:])
    private let running = NIOLockedValueBox<RunningServer?>(nil)
    private let stopRequested = NIOLockedValueBox(false)
    /// Why ``run(handleSignals:)`` could not start, if it could not.
    private let startFailure = NIOLockedValueBox<(any Error)?>(nil)

    enum Listener: Hashable, CaseIterable {
        case http, rtmp, rtmps, https, srt
    }

    /// The listeners this configuration runs: the TLS ones only with a certificate.
    var expectedListeners: Set<Listener> {
        Set(Listener.allCases).subtracting(tls == nil ? [.rtmps, .https] : [])
    }

    /// What the archive writer has done so far.
    public var archiveStatistics: ArchiveWriter.Statistics { archive.statistics }

    /// One per transcoded channel.
    public var transcoders: [ChannelTranscoder] { runtime.transcoders }

    /// The SRT listener's port, once it is bound.
    public var srtPort: Int? { listeners.withLockedValue { $0[.srt] } }

    /// The control plane's store, once the server runs.
    public var controlStore: ControlStore? { runningServer?.store }

    var runningServer: RunningServer? { running.withLockedValue { $0 } }

    public init(configuration: ServerConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        hub = Hub(inputSwitch: configuration.inputSwitch)
        // Checked first: a wrong certificate stops the start before anything is touched.
        if let files = configuration.tls {
            tls = try TLSCredentials(certificatePath: files.certificate, keyPath: files.key)
        } else {
            tls = nil
            logger.notice("TLS is off (no --tls-cert): RTMPS and HTTPS are not started")
        }
        self.eventLoopGroup = MultiThreadedEventLoopGroup.singleton
        archiveStore = try ArchiveLocation.parse(
            configuration.archiveLocation, dataDirectory: configuration.dataDirectory,
            s3Endpoint: configuration.s3Endpoint, s3Addressing: configuration.s3Addressing, environment: configuration.environment
        ).makeStore(logger: logger)
        archive = ArchiveWriter(store: archiveStore, logger: logger)
        archiveReader = ArchiveReader(store: archiveStore, now: Self.wallClock, logger: logger)
        let runtime = ChannelRuntime(
            hub: hub, packagers: packagers, packager: configuration.packager, ffmpeg: configuration.ffmpegPath, archive: archive,
            archiveReader: archiveReader, eventLoopGroup: eventLoopGroup, logger: logger, now: Self.wallClock)
        self.runtime = runtime
        self.playbackAccess = try Self.playbackAccess(configuration, visibility: { runtime.visibility(of: $0) })
        self.contentProtection = try Self.contentProtection(configuration, encryption: { runtime.encryption(of: $0) }, logger: logger)
    }

    /// The HTTP `Server` header.
    static let serverName = "Antenne"

    /// Unix epoch milliseconds.
    @Sendable static func wallClock() -> Int64 {
        Date().unixMilliseconds
    }

    /// Every listener is bound and the server is not stopping.
    public var isReady: Bool {
        listeners.withLockedValue { Set($0.keys) == expectedListeners } && !stopRequested.withLockedValue { $0 }
    }

    /// Runs until SIGINT/SIGTERM (or ``shutdown()``), then shuts down gracefully.
    public func run(handleSignals: Bool = true) async throws {
        let store: ControlStore
        let server: RunningServer
        do {
            store = try await ControlStore.open(
                database: try DatabaseLocation.parse(configuration.databaseURL, dataDirectory: configuration.dataDirectory),
                eventLoopGroup: eventLoopGroup, logger: logger)
            do {
                let declared = try await store.declare(
                    configuration.channels.map { try $0.declaration(retention: configuration.archiveRetention) })
                try await declareDestinations(of: declared, into: store)
                server = try RunningServer(server: self, store: store)
                // The declared channels run from the start: their pages answer before they publish.
                for channel in declared { server.provisioner.provision(channel) }
            } catch {
                await store.shutdown()
                throw error
            }
        } catch {
            startFailure.withLockedValue { $0 = error }
            throw error
        }
        running.withLockedValue { $0 = server }
        let signals = handleSignals
            ? ShutdownSignals(logger: logger, grace: configuration.drainGrace) { [weak self] in await self?.shutdown() } : nil
        defer { signals?.cancel() }
        let reloads = handleSignals ? ReloadSignal { [weak self] in self?.reloadCertificates() } : nil
        defer { reloads?.cancel() }
        if stopRequested.withLockedValue({ $0 }) { await server.group.triggerGracefulShutdown() }
        do {
            try await withTaskExecutorPreference(EventLoopTaskExecutor(group: eventLoopGroup)) {
                try await server.group.run()
            }
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
        logger.info("Antenne has stopped")
    }

    /// Stops the server gracefully: readiness turns 503 and new publishes are refused at once;
    /// after the drain grace (``ServerConfiguration/drainGrace``), publishers are closed, queued
    /// archive writes get a bounded time, FFmpeg children are stopped.
    public func shutdown() async {
        stopRequested.withLockedValue { $0 = true }
        runningServer?.gateway.stopAccepting()
        let grace = configuration.drainGrace
        if grace > .zero {
            logger.notice("draining: /readyz answers 503 and new publishes are refused; publishers are closed in \(grace.components.seconds) s")
            try? await Task.sleep(for: grace)
        }
        await runningServer?.group.triggerGracefulShutdown()
    }

    /// Reads the TLS certificate and key again (on SIGHUP): new RTMPS and HTTPS connections use
    /// them, open ones keep theirs. A bad file logs one line and the current pair stays.
    @discardableResult
    public func reloadCertificates() -> Bool {
        guard let tls else {
            logger.notice("no TLS certificate is configured: nothing to reload")
            return false
        }
        do {
            try tls.reload()
            logger.notice("TLS certificate reloaded from \(tls.certificatePath)")
            return true
        } catch {
            logger.error("TLS certificate not reloaded, the current one stays: \(error)")
            return false
        }
    }

    /// The bound HTTPS and RTMPS ports, once bound (nil without a certificate).
    public var tlsPorts: (https: Int, rtmps: Int)? {
        let bound = listeners.withLockedValue { $0 }
        guard let https = bound[.https], let rtmps = bound[.rtmps] else { return nil }
        return (https, rtmps)
    }

    /// Waits until every listener is bound and returns the HTTP and RTMP ports.
    public func waitUntilReady(timeout: Duration = .seconds(30)) async throws -> (http: Int, rtmp: Int) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let failure = startFailure.withLockedValue({ $0 }) { throw failure }
            let bound = listeners.withLockedValue { $0 }
            if Set(bound.keys).isSuperset(of: expectedListeners), let http = bound[.http], let rtmp = bound[.rtmp] { return (http, rtmp) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ServerError.notReady
    }
}

public enum ServerError: Error, CustomStringConvertible {
    case notReady
    /// Token channels need at least one playback key.
    case noPlaybackKey(channels: [String])

    public var description: String {
        switch self {
        case .notReady: "the listeners did not come up in time"
        case .noPlaybackKey(let channels):
            "channel\(channels.count == 1 ? "" : "s") \(channels.map { "'\($0)'" }.joined(separator: ", ")) "
                + "\(channels.count == 1 ? "needs" : "need") playback tokens, but no playback key is configured: "
                + "give --playback-key ID:SECRET, set ANTENNE_PLAYBACK_KEY or add playbackKeys to the configuration file"
        }
    }
}
