import CSRT
import Logging

/// Caller mode: the listener's thread calls each configured pull's encoder (`srt_connect`,
/// non-blocking, on the listener's epoll), and once connected treats the connection as an
/// accepted one: the gateway authorizes it with the channel's stream key, its MPEG-TS goes to an
/// ``MPEGTSPublishSession``, the same timeouts close it. When the attempt fails or the publish
/// ends, the pull's ``SRTPullSchedule`` says when to call again, until the server stops.
extension SRTListener {
    /// One pull's state, the thread's own.
    struct PullState {
        let pull: SRTPull
        var schedule: SRTPullSchedule
        /// Connecting or connected: no attempt is started while it has one.
        var socket: SRTSOCKET?

        mutating func ended(at now: ContinuousClock.Instant) {
            socket = nil
            schedule.ended(at: now)
        }
    }

    /// Starts the attempts that are due.
    func startDuePulls(now: ContinuousClock.Instant) {
        for index in pulls.indices where pulls[index].socket == nil && pulls[index].schedule.nextAttempt <= now {
            startPull(index, now: now)
        }
    }

    /// Creates the pull's socket with its options and starts connecting; the epoll says how it went.
    private func startPull(_ index: Int, now: ContinuousClock.Instant) {
        let source = pulls[index].pull.source
        let socket = srt_create_socket()
        guard socket != SRT_INVALID_SOCK else {
            pullFailed(index, .library(SRTIngestError.last("srt_create_socket").description), now: now)
            return
        }
        do {
            try Self.set(socket, SRTO_RCVSYN, 0)  // non-blocking: srt_connect returns at once
            try Self.set(socket, SRTO_RCVLATENCY, Int32(source.latencyMilliseconds ?? configuration.latencyMilliseconds))
            if let streamID = source.streamID { try Self.set(socket, SRTO_STREAMID, Array(streamID.utf8), "SRTO_STREAMID") }
            if let passphrase = source.passphrase { try Self.set(socket, SRTO_PASSPHRASE, Array(passphrase.utf8), "SRTO_PASSPHRASE") }
            // A connect's failure comes as an epoll error; one that cannot even start fails here.
            let result = SRTSocketAddress.withSockaddr(host: source.host, port: source.port) { srt_connect(socket, $0, $1) }
            guard result != nil, result != SRT_ERROR else { throw SRTIngestError.last("srt_connect") }
        } catch {
            srt_close(socket)
            pullFailed(index, .library("\(error)"), now: now)
            return
        }
        pulls[index].socket = socket
        connecting[socket] = index
        var events = Int32(SRT_EPOLL_OUT.rawValue | SRT_EPOLL_ERR.rawValue)
        srt_epoll_add_usock(epoll, socket, &events)
    }

    /// The epoll reported the pull's connecting socket: connected (it becomes a connection to
    /// authorize) or failed (libsrt's rejection reason says why).
    func finishConnecting(_ socket: SRTSOCKET, pull index: Int) {
        let state = srt_getsockstate(socket)
        guard state != SRTS_CONNECTING else { return }  // not yet: the epoll reports it again
        connecting.removeValue(forKey: socket)
        let pull = pulls[index].pull
        guard state == SRTS_CONNECTED else {
            let reason = srt_getrejectreason(socket)
            srt_epoll_remove_usock(epoll, socket)
            srt_close(socket)
            pullFailed(index, SRTPullFailure(rejectReason: reason), now: .now)
            return
        }
        // From now on only media and errors: a writable socket would wake the thread forever.
        var events = Int32(SRT_EPOLL_IN.rawValue | SRT_EPOLL_ERR.rawValue)
        srt_epoll_update_usock(epoll, socket, &events)
        let connection = SRTConnection(socket: socket, remoteAddress: pull.source.address, now: .now, pull: index)
        connections[socket] = connection
        open.store(connections.count, ordering: .relaxed)
        logger.info("SRT pull connected", metadata: ["channel": "\(pull.channel)", "source": "\(pull.source)"])
        authorize(connection, streamKey: pull.streamKey)
    }

    /// An attempt failed: logged unless the last one failed the same way, and scheduled again.
    func pullFailed(_ index: Int, _ failure: SRTPullFailure, now: ContinuousClock.Instant) {
        pulls[index].socket = nil
        guard pulls[index].schedule.failed(failure, at: now) else { return }
        let pull = pulls[index].pull
        let retry = SRTPullSchedule.delay(afterFailures: pulls[index].schedule.failures)
        logger.warning("SRT pull failed: \(failure)", metadata: [
            "channel": "\(pull.channel)", "source": "\(pull.source)", "retry": "in \(retry), then up to every \(SRTPullSchedule.maximumDelay)"])
    }

    /// The server stops: attempts under way are abandoned (connections are closed by the listener).
    func stopPulls() {
        for socket in connecting.keys { srt_close(socket) }
        connecting = [:]
    }

    /// Sets a string option (libsrt takes its bytes and their count).
    static func set(_ socket: SRTSOCKET, _ option: SRT_SOCKOPT, _ bytes: [UInt8], _ name: String) throws {
        var bytes = bytes
        guard srt_setsockflag(socket, option, &bytes, Int32(bytes.count)) != SRT_ERROR else {
            throw SRTIngestError.last("srt_setsockflag(\(name))")
        }
    }
}
