import CSRT
import Containers
import Hub
import Ingest
import Logging
import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The SRT listener's socket work, on one thread of its own (``run()``): libsrt's calls block or
/// poll, so they stay off the event loops and the concurrency pool. The thread waits on an SRT
/// epoll of the listening socket and every connection (non-blocking), accepts, reads each
/// payload and demuxes it into its publish's hub publisher, which never waits for readers.
///
/// The same thread calls the encoders of the configured pulls (``SRTPull``, `SRTListener+Pull`):
/// their connections are added to the same epoll and go through the same authorization, demuxing
/// and closing as accepted ones.
///
/// Other threads talk to it only through `mailbox` (publish grants, disconnects) and the atomics
/// the listen callback reads; everything else is the thread's own.
final class SRTListener: @unchecked Sendable {
    let configuration: SRTIngestConfiguration
    let gateway: PublishGateway
    let logger: Logger
    let statistics: SRTPublisherBoard
    let socket: SRTSOCKET
    let port: Int
    let epoll: Int32

    /// Connections open, read by the listen callback for ``SRTIngestConfiguration/maximumConnections``.
    let open = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    private let mailbox = Mutex<[Message]>([])

    // The thread's own.
    var connections: [SRTSOCKET: SRTConnection] = [:]
    /// Each configured pull's state, by its index in ``SRTIngestConfiguration/pulls``.
    var pulls: [PullState]
    /// Pull sockets whose connection is under way, with their pull's index.
    var connecting: [SRTSOCKET: Int] = [:]
    private var buffer = [UInt8](repeating: 0, count: SRTListener.maximumPayload)

    enum Message: Sendable {
        case granted(SRTSOCKET, Result<Publish, PublishGateway.Refusal>)
        case disconnect(SRTSOCKET)
    }

    /// Bytes of one SRT payload in live mode: `SRTO_PAYLOADSIZE` is at most 1456 (libsrt
    /// `SRT_LIVE_MAX_PLSIZE`); the default 1316 is 7 TS packets. A larger buffer costs nothing.
    static let maximumPayload = 1500
    /// Events taken from the epoll in one wait.
    static let eventsPerWait = 64
    /// How long one epoll wait lasts at most: the delay of a grant, a disconnect or a stop.
    static let waitMilliseconds: Int64 = 50

    /// Creates, configures and binds the listening socket.
    init(
        configuration: SRTIngestConfiguration, gateway: PublishGateway, logger: Logger,
        statistics: SRTPublisherBoard
    ) throws {
        self.configuration = configuration
        self.gateway = gateway
        self.logger = logger
        self.statistics = statistics
        let now = ContinuousClock.now
        pulls = configuration.pulls.map { PullState(pull: $0, schedule: SRTPullSchedule(now: now)) }
        SRTLibraryLog.install()
        srt_startup()
        let socket = srt_create_socket()
        guard socket != SRT_INVALID_SOCK else {
            srt_cleanup()
            throw SRTIngestError.last("srt_create_socket")
        }
        do {
            try Self.set(socket, SRTO_RCVSYN, 0)  // non-blocking: the epoll says when
            try Self.set(socket, SRTO_RCVLATENCY, Int32(configuration.latencyMilliseconds))
            guard let bound = SRTSocketAddress.withSockaddr(host: configuration.host, port: configuration.port, { srt_bind(socket, $0, $1) })
            else { throw SRTIngestError.badHost(configuration.host) }
            guard bound != SRT_ERROR else { throw SRTIngestError.last("srt_bind \(configuration.host):\(configuration.port)") }
            guard srt_listen(socket, Int32(configuration.listenBacklog)) != SRT_ERROR else { throw SRTIngestError.last("srt_listen") }
            guard let port = SRTSocketAddress.boundPort(socket) else { throw SRTIngestError.last("srt_getsockname") }
            self.port = port
        } catch {
            srt_close(socket)
            srt_cleanup()
            throw error
        }
        self.socket = socket
        epoll = srt_epoll_create()
        var events = Int32(SRT_EPOLL_IN.rawValue | SRT_EPOLL_ERR.rawValue)
        srt_epoll_add_usock(epoll, socket, &events)
        srt_listen_callback(socket, srtListenCallback, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Sets an integer or boolean option (libsrt takes an `int` for both).
    static func set(_ socket: SRTSOCKET, _ option: SRT_SOCKOPT, _ value: Int32) throws {
        var value = value
        guard srt_setsockflag(socket, option, &value, Int32(MemoryLayout<Int32>.size)) != SRT_ERROR else {
            throw SRTIngestError.last("srt_setsockflag(\(option.rawValue))")
        }
    }

    /// Ends ``run()`` within one wait.
    func stop() {
        stopping.store(true, ordering: .relaxed)
    }

    func post(_ message: Message) {
        mailbox.withLock { $0.append(message) }
    }

    // MARK: The thread

    /// Serves until ``stop()``, then closes every connection and the listener.
    func run() {
        var events = [SRT_EPOLL_EVENT](repeating: SRT_EPOLL_EVENT(), count: Self.eventsPerWait)
        while !stopping.load(ordering: .relaxed) {
            let ready = srt_epoll_uwait(epoll, &events, Int32(events.count), Self.waitMilliseconds)
            if ready > 0 {
                for event in events[0..<Int(ready)] { handle(event) }
            }
            let now = ContinuousClock.now
            for message in mailbox.withLock({ messages in defer { messages = [] }; return messages }) {
                handle(message, now: now)
            }
            checkTimers(now: now)
        }
        for connection in Array(connections.values) { close(connection, reason: nil) }
        stopPulls()
        // Grants that came in after the last wait have no connection any more.
        for case .granted(_, .success(let publish)) in mailbox.withLock({ messages in defer { messages = [] }; return messages }) {
            publish.close(.abandoned)
        }
        srt_epoll_release(epoll)
        srt_close(socket)
        srt_cleanup()
    }

    private func handle(_ event: SRT_EPOLL_EVENT) {
        if event.fd == socket {
            acceptAll()
            return
        }
        if let pull = connecting[event.fd] {
            finishConnecting(event.fd, pull: pull)
            return
        }
        guard let connection = connections[event.fd] else { return }
        if event.events & Int32(SRT_EPOLL_IN.rawValue) != 0 { read(connection) }
        if event.events & Int32(SRT_EPOLL_ERR.rawValue) != 0, connections[event.fd] != nil {
            close(connection, reason: "\(connection.peer) closed the connection", ending: connection.brokenEnding)
        }
    }

    private func acceptAll() {
        while true {
            var storage = sockaddr_storage()
            var length = Int32(MemoryLayout<sockaddr_storage>.size)
            let accepted = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { srt_accept(socket, $0, &length) }
            }
            guard accepted != SRT_INVALID_SOCK else { return }
            let remote = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SRTSocketAddress.describe($0) }
            }
            guard let streamKey = Self.streamKey(of: accepted) else {
                // The listen callback parsed it already; this is libsrt failing under us.
                logger.warning("SRT connection closed: its stream id could not be read back", metadata: ["peer": "\(remote ?? "?")"])
                srt_close(accepted)
                continue
            }
            let connection = SRTConnection(socket: accepted, remoteAddress: remote, now: .now)
            connections[accepted] = connection
            open.store(connections.count, ordering: .relaxed)
            var events = Int32(SRT_EPOLL_IN.rawValue | SRT_EPOLL_ERR.rawValue)
            srt_epoll_add_usock(epoll, accepted, &events)
            authorize(connection, streamKey: streamKey)
        }
    }

    /// The stream key of an accepted socket (libsrt hands the listener's socket the caller's id).
    private static func streamKey(of socket: SRTSOCKET) -> String? {
        var bytes = [UInt8](repeating: 0, count: SRTStreamID.maximumLength + 1)
        var length = Int32(bytes.count)
        guard srt_getsockflag(socket, SRTO_STREAMID, &bytes, &length) != SRT_ERROR else { return nil }
        do {
            return try SRTStreamID(parsing: bytes[0..<Int(max(0, min(length, Int32(SRTStreamID.maximumLength))))]).streamKey
        } catch {
            return nil
        }
    }

    /// Asks the gateway (the key is never logged); the answer comes back through the mailbox.
    func authorize(_ connection: SRTConnection, streamKey: String) {
        let request = PublishRequest(streamKey: streamKey, remoteAddress: connection.remoteAddress, source: .srt)
        let socket = connection.socket
        // Returns false once the listener is gone.
        let post: @Sendable (Message) -> Bool = { [weak self] message in
            self?.post(message)
            return self != nil
        }
        Task { [gateway] in
            let result = await gateway.open(request) { _ = post(.disconnect(socket)) }
            if !post(.granted(socket, result)), case .success(let publish) = result { publish.close(.abandoned) }
        }
    }

    private func handle(_ message: Message, now: ContinuousClock.Instant) {
        switch message {
        case .granted(let socket, let result):
            guard let connection = connections[socket], case .authorizing(var early) = connection.state else {
                // Closed while the gateway decided (timeout, caller gone, stopping).
                if case .success(let publish) = result { publish.close(.abandoned) }
                return
            }
            switch result {
            case .failure(let refusal):
                close(connection, reason: "publish refused: \(Self.describe(refusal))")
            case .success(let publish) where configuration.requiresEncryption(publish.grant.channel) && !Self.isEncrypted(socket):
                publish.close(.abandoned)
                close(connection, reason: "channel \(publish.grant.channel) takes encrypted SRT only, and this key has no passphrase")
            case .success(let publish):
                var sessionLogger = logger
                sessionLogger[metadataKey: "channel"] = "\(publish.grant.channel)"
                let session = MPEGTSPublishSession(publisher: publish.publisher, logger: sessionLogger)
                connection.state = .publishing(publish, session)
                if let pull = connection.pull { pulls[pull].schedule.published(at: now) }
                logger.info("SRT publish started", metadata: [
                    "channel": "\(publish.grant.channel)", "input": "\(publish.grant.role.rawValue)",
                    "peer": "\(connection.remoteAddress ?? "?")", "mode": "\(connection.pull == nil ? "listener" : "caller")"])
                if early.readableBytes > 0 { deliver(early.readSlice(length: early.readableBytes)!, to: connection) }
            }
        case .disconnect(let socket):
            // LivePublishes has logged why.
            if let connection = connections[socket] { close(connection, reason: nil) }
        }
    }

    /// The connection's payloads are encrypted and decrypt (`SRTO_RCVKMSTATE`).
    private static func isEncrypted(_ socket: SRTSOCKET) -> Bool {
        var state: Int32 = 0
        var length = Int32(MemoryLayout<Int32>.size)
        guard srt_getsockflag(socket, SRTO_RCVKMSTATE, &state, &length) != SRT_ERROR else { return false }
        return state == Int32(SRT_KM_S_SECURED.rawValue)
    }

    private static func describe(_ refusal: PublishGateway.Refusal) -> String {
        switch refusal {
        case .notAuthorized: "unknown or revoked stream key"
        case .alreadyPublishing(let channel): "channel \(channel) already has a publisher"
        case .stopping: "the server is stopping"
        }
    }

    // MARK: Media

    private func read(_ connection: SRTConnection) {
        while connections[connection.socket] != nil {
            let count = buffer.withUnsafeMutableBufferPointer {
                srt_recvmsg(connection.socket, UnsafeMutableRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), Int32($0.count))
            }
            if count == SRT_ERROR {
                if Int(srt_getlasterror(nil)) != Int(SRT_EASYNCRCV.rawValue) {
                    let error = String(cString: srt_getlasterror_str())
                    if srt_getsockstate(connection.socket) == SRTS_BROKEN {
                        close(connection, reason: "\(connection.peer) closed the connection or went silent", ending: connection.brokenEnding)
                    } else {
                        close(connection, reason: "the connection failed (\(error))")
                    }
                }
                return
            }
            guard count > 0 else { return }
            connection.lastMedia = .now
            deliver(ByteBuffer(bytes: buffer[0..<Int(count)]), to: connection)
        }
    }

    private func deliver(_ payload: ByteBuffer, to connection: SRTConnection) {
        switch connection.state {
        case .authorizing(var early):
            guard early.readableBytes + payload.readableBytes <= configuration.maximumEarlyBytes else { return }
            var payload = payload
            early.writeBuffer(&payload)
            connection.state = .authorizing(early: early)
        case .publishing(_, let session):
            do {
                try session.receive(payload)
            } catch {
                close(connection, reason: "its MPEG-TS cannot be demuxed: \(error)")
            }
        }
    }

    // MARK: Timers and closing

    private func checkTimers(now: ContinuousClock.Instant) {
        startDuePulls(now: now)
        for connection in Array(connections.values) {
            switch connection.state {
            case .authorizing where now - connection.accepted > configuration.authorizationTimeout:
                close(connection, reason: "no publish grant within \(configuration.authorizationTimeout)")
                continue
            case .authorizing:
                break
            case .publishing(let publish, _):
                if now - connection.lastMedia > configuration.idleTimeout {
                    close(connection, reason: "no media for \(configuration.idleTimeout)")
                    continue
                }
                if now - connection.lastStatistics >= configuration.statisticsInterval {
                    connection.lastStatistics = now
                    statistics.record(connection.socket, publish.grant)
                }
            }
        }
    }

    /// Closes the connection and ends its publish as `ending`. `reason` (nil: already logged) is
    /// logged once; a pull's connection that had not published is logged by its pull, which tries
    /// again.
    func close(_ connection: SRTConnection, reason: String?, ending: PublishEnding = .lost) {
        guard connections.removeValue(forKey: connection.socket) != nil else { return }
        open.store(connections.count, ordering: .relaxed)
        srt_epoll_remove_usock(epoll, connection.socket)
        var metadata: Logger.Metadata = ["peer": "\(connection.remoteAddress ?? "?")"]
        if case .publishing(let publish, let session) = connection.state {
            statistics.record(connection.socket, publish.grant)
            session.close()
            publish.close(ending)
            metadata["channel"] = "\(publish.grant.channel)"
            if let last = statistics.remove(connection.socket) {
                metadata["packetsLost"] = "\(last.packetsLost)"
                metadata["packetsRetransmitted"] = "\(last.packetsRetransmitted)"
                metadata["packetsDropped"] = "\(last.packetsDropped)"
            }
            let skipped = session.statistics
            metadata["droppedPES"] = "\(skipped.droppedPES)"
            logger.info("SRT publish ended\(reason.map { ": \($0)" } ?? "")", metadata: metadata)
            if let pull = connection.pull { pulls[pull].ended(at: .now) }
        } else if let pull = connection.pull {
            pullFailed(pull, .closed(reason ?? "the connection was closed before it published"), now: .now)
        } else if let reason {
            logger.notice("SRT connection closed: \(reason)", metadata: metadata)
        }
        srt_close(connection.socket)
    }
}

/// libsrt's listen callback, called on its receive thread for each caller's conclusion
/// handshake, before the connection exists: refuses what can be refused at once and sets the
/// channel's passphrase and latency on the new socket.
private func srtListenCallback(
    opaque: UnsafeMutableRawPointer?, socket: SRTSOCKET, version: Int32, peer: UnsafePointer<sockaddr>?, streamID: UnsafePointer<CChar>?
) -> Int32 {
    guard let opaque else { return -1 }
    let listener = Unmanaged<SRTListener>.fromOpaque(opaque).takeUnretainedValue()
    return listener.admit(socket, peer: peer, streamID: streamID)
}

extension SRTListener {
    func admit(_ socket: SRTSOCKET, peer: UnsafePointer<sockaddr>?, streamID: UnsafePointer<CChar>?) -> Int32 {
        // One byte past the limit is enough to tell that it is too long.
        let bytes = streamID.map { UnsafeRawBufferPointer(start: $0, count: strnlen($0, SRTStreamID.maximumLength + 1)) }
        let decision = SRTAdmission.decide(
            streamID: bytes, open: open.load(ordering: .relaxed), stopping: stopping.load(ordering: .relaxed), configuration: configuration)
        switch decision {
        case .refuse(let refusal):
            srt_setrejectreason(socket, refusal.rejectReason)
            logger.notice("SRT connection refused: \(refusal)", metadata: ["peer": "\(peer.flatMap(SRTSocketAddress.describe) ?? "?")"])
            return -1
        case .accept(_, let options):
            do {
                if let latency = options.latencyMilliseconds { try Self.set(socket, SRTO_RCVLATENCY, Int32(latency)) }
                if let passphrase = options.passphrase {
                    var bytes = Array(passphrase.utf8)
                    guard srt_setsockflag(socket, SRTO_PASSPHRASE, &bytes, Int32(bytes.count)) != SRT_ERROR else {
                        throw SRTIngestError.last("srt_setsockflag(SRTO_PASSPHRASE)")
                    }
                }
            } catch {
                srt_setrejectreason(socket, SRT_REJX_ISE)
                logger.error("SRT connection refused: \(error)")
                return -1
            }
            return 0
        }
    }
}
