import NIOCore
import NIOHTTP1
import NIOPosix

/// One simulated LL-HLS player on one HTTP/1.1 keep-alive connection: the media playlist, then
/// in a loop a blocking reload for the preload-hinted part (RFC 8216bis §6.2.5.2, `_HLS_msn` and
/// `_HLS_part`) and the part itself. As the availability probe it asks only the blocking reloads:
/// when one is answered, the part it names is available there.
///
/// Confined to its event loop: every method runs on it.
final class Viewer {
    enum Role: Sendable {
        case viewer
        case probe
    }

    private enum Step: Sendable {
        case playlist
        case reload(PartAddress)
        case part(PartAddress, next: PartAddress)
    }

    /// A part received in full (viewer) or found available (probe), at a monotonic time.
    struct Arrival: Sendable {
        var address: PartAddress
        var nanoseconds: UInt64
    }

    let role: Role
    let target: Target
    let eventLoop: any EventLoop
    let timeout: TimeAmount
    private(set) var counts = ViewerCounts()
    private(set) var arrivals: [Arrival] = []
    private var channel: (any Channel)?
    private var step = Step.playlist
    private var stopped = false
    // The response being read.
    private var status = HTTPResponseStatus.ok
    private var keepAlive = true
    private var bodyBytes = 0
    private var playlist = ByteBufferAllocator().buffer(capacity: 0)

    init(role: Role, target: Target, eventLoop: any EventLoop, timeout: TimeAmount) {
        self.role = role
        self.target = target
        self.eventLoop = eventLoop
        self.timeout = timeout
    }

    func start() {
        connect(then: .playlist)
    }

    func stop() {
        stopped = true
        let old = channel
        channel = nil
        old?.close(promise: nil)
    }

    private func connect(then next: Step) {
        guard !stopped else { return }
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let timeout = self.timeout
        ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(LoadGenLimits.connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: timeout))
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ViewerHandler(viewer: bound.value))
                }
            }
            .connect(host: target.host, port: target.port)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let channel): self.connected(channel, then: next)
                case .failure: self.fail(.connection)
                }
            }
    }

    private func connected(_ channel: any Channel, then next: Step) {
        guard !stopped else {
            channel.close(promise: nil)
            return
        }
        self.channel = channel
        send(next)
    }

    private func send(_ next: Step) {
        guard let channel else { return }
        step = next
        status = .ok
        keepAlive = true
        bodyBytes = 0
        playlist.clear()
        let uri = switch next {
        case .playlist: target.playlist
        case .reload(let hint): "\(target.playlist)?_HLS_msn=\(hint.msn)&_HLS_part=\(hint.part)"
        case .part(let part, _): "\(target.directory)\(part.msn).\(part.part).m4s"
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: target.authority)
        channel.write(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: headers)), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
    }

    func responseHead(_ head: HTTPResponseHead, on channel: any Channel) {
        guard channel === self.channel else { return }
        status = head.status
        keepAlive = head.isKeepAlive
    }

    func responseBody(_ body: ByteBuffer, on channel: any Channel) {
        guard channel === self.channel else { return }
        bodyBytes += body.readableBytes
        if case .part = step {
            if bodyBytes > LoadGenLimits.bodyBytes { fail(.limit) }
        } else if bodyBytes > LoadGenLimits.playlistBytes {
            fail(.limit)
        } else {
            playlist.writeImmutableBuffer(body)
        }
    }

    func responseEnd(on channel: any Channel) {
        guard channel === self.channel else { return }
        counts.requests += 1
        counts.bytes += bodyBytes
        guard status == .ok else { return fail(.status) }
        let next: Step
        switch step {
        case .playlist:
            guard let hint = PartAddress(preloadHintIn: playlist) else { return fail(.playlist) }
            next = .reload(hint)
        case .reload(let asked):
            guard let hint = PartAddress(preloadHintIn: playlist) else { return fail(.playlist) }
            switch role {
            case .viewer:
                next = .part(asked, next: hint)
            case .probe:
                arrived(asked)
                next = .reload(hint)
            }
        case .part(let part, let hint):
            arrived(part)
            next = .reload(hint)
        }
        if keepAlive {
            send(next)
        } else {
            self.channel = nil
            channel.close(promise: nil)
            connect(then: next)
        }
    }

    private func arrived(_ part: PartAddress) {
        counts.parts += 1
        arrivals.append(Arrival(address: part, nanoseconds: NIODeadline.now().uptimeNanoseconds))
    }

    /// The connection under the current request failed: closed, an error, or the read timeout.
    func failed(_ failure: ViewerFailure, on channel: any Channel) {
        guard channel === self.channel else { return }
        fail(failure)
    }

    private func fail(_ failure: ViewerFailure) {
        guard !stopped else { return }
        counts.failures[failure.rawValue] += 1
        let old = channel
        channel = nil
        old?.close(promise: nil)
        eventLoop.assumeIsolated().scheduleTask(in: LoadGenLimits.reconnectDelay) { self.connect(then: .playlist) }
    }
}
