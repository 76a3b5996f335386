import Hub
import Logging
import NIOCore
import RTMP

/// Runs one RTMP publisher connection on its event loop: handshake, chunk decoding, the session
/// state machine, the authorizer and the media sink. Everything happens on the channel's event
/// loop; the only suspension is the authorizer, whose answer comes back to that loop.
final class RTMPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What the handler needs from the service.
    struct Dependencies: Sendable {
        var configuration: RTMPIngestConfiguration
        var gateway: PublishGateway
        var makeSink: @Sendable (HubPublisher) -> any MediaSink
        /// `.rtmps` behind a TLS handler.
        var source: PublishSource
        var logger: Logger
    }

    private let dependencies: Dependencies
    private var logger: Logger
    private var handshake: RTMPServerHandshake?
    /// Handshake bytes received so far (C0, C1 and C2 may arrive in any number of reads).
    private var handshakeBuffer = ByteBuffer()
    private var input: ChunkStreamInput
    private var session: RTMPServerSession
    private var encoder = RTMPChunkEncoder()
    private var sink: (any MediaSink)?
    /// The accepted publish, while it runs.
    private var publish: Publish?
    private var closing = false
    private var handshakeTimer: Scheduled<Void>?
    private var idleTimer: Scheduled<Void>?
    /// The next merged read, while media flows (``RTMPIngestConfiguration/mediaReadInterval``).
    private var readTimer: Scheduled<Void>?
    /// Bytes received since the last read was asked for.
    private var bytesThisRead = 0

    /// `RTMP` or `RTMPS`, for the log lines.
    private var protocolName: String { dependencies.source.rawValue.uppercased() }

    init(dependencies: Dependencies) {
        self.dependencies = dependencies
        self.logger = dependencies.logger
        let now = NIODeadline.now()
        // S1's time field: milliseconds on this process's monotonic clock, wrapping at 2^32.
        self.handshake = RTMPServerHandshake(serverTime: UInt32(truncatingIfNeeded: now.uptimeNanoseconds / 1_000_000))
        self.input = ChunkStreamInput(decoder: RTMPChunkDecoder(limits: dependencies.configuration.limits))
        var sessionConfiguration = RTMPServerSession.Configuration()
        sessionConfiguration.idleTimeout = dependencies.configuration.idleTimeout
        sessionConfiguration.amf0Limits = dependencies.configuration.amf0Limits
        self.session = RTMPServerSession(configuration: sessionConfiguration, now: now)
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        logger[metadataKey: "peer"] = "\(context.channel.remoteAddress.map { "\($0)" } ?? "unknown")"
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard handshakeTimer == nil else { return }
        logger.debug("RTMP connection opened")
        let loop = context.eventLoop.assumeIsolated()
        handshakeTimer = loop.scheduleTask(in: dependencies.configuration.handshakeTimeout) { [self] in
            if handshake != nil { fail(.protocolViolation(.handshakeTimeout), context: context) }
        }
        scheduleIdleCheck(context: context)
        context.read()
    }

    private func scheduleIdleCheck(context: ChannelHandlerContext) {
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: session.idleDeadline) { [self] in
            guard !closing else { return }
            if session.isIdle(now: .now()) {
                fail(.protocolViolation(.idleTimeout), context: context)
            } else {
                scheduleIdleCheck(context: context)
            }
        }
    }

    /// Asks for the next read: at once until the publish starts (handshake and commands are
    /// round trips) or when the publisher sends faster than merged reads take, otherwise after the
    /// media read interval.
    func channelReadComplete(context: ChannelHandlerContext) {
        guard !closing else { return }
        let configuration = dependencies.configuration
        let interval = configuration.mediaReadInterval
        defer { bytesThisRead = 0 }
        guard sink != nil, interval > .zero, bytesThisRead < configuration.mergedReadLimit else {
            context.read()
            return
        }
        readTimer = context.eventLoop.assumeIsolated().scheduleTask(in: interval) { [self] in
            readTimer = nil
            if !closing { context.read() }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        handshakeTimer?.cancel()
        idleTimer?.cancel()
        readTimer?.cancel()
        closeSink(.lost)
        logger.debug("RTMP connection closed")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !closing else { return }
        logger.warning("closing \(protocolName) connection: socket error: \(error)")
        close(context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        var buffer = unwrapInboundIn(data)
        bytesThisRead += buffer.readableBytes
        if let acknowledgement = session.bytesReceived(buffer.readableBytes, now: .now()) {
            send([acknowledgement], context: context)
        }
        do {
            if handshake != nil {
                handshakeBuffer.writeBuffer(&buffer)
                guard try advanceHandshake(&handshakeBuffer, context: context) else { return }
                // What follows C2 belongs to the chunk stream.
                buffer = handshakeBuffer
                handshakeBuffer = ByteBuffer()
            }
            guard buffer.readableBytes > 0 else { return }
            try input.process(buffer) { message in
                guard !closing else { return }
                perform(try session.receive(message), context: context)
            }
        } catch let error as RTMPError {
            fail(.protocolViolation(error), context: context)
        } catch {
            logger.warning("closing \(protocolName) connection: \(error)")
            close(context: context)
        }
    }

    /// Returns true once the handshake is complete (left-over bytes stay in `buffer`).
    private func advanceHandshake(_ buffer: inout ByteBuffer, context: ChannelHandlerContext) throws(RTMPError) -> Bool {
        while var machine = handshake {
            let action = try machine.receive(&buffer)
            handshake = machine
            switch action {
            case .needMoreData:
                return false
            case .send(let reply):
                context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
            case .complete:
                logger.debug("RTMP handshake complete", metadata: ["handshake": "\(machine.kind.map { "\($0)" } ?? "?")"])
                handshake = nil
                handshakeTimer?.cancel()
                handshakeTimer = nil
            }
        }
        return true
    }

    // MARK: Actions

    private func perform(_ action: RTMPServerSession.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .send(let messages):
            send(messages, context: context)
        case .authorizePublish(let streamKey):
            authorize(streamKey, context: context)
        case .media(let kind, let timestamp, let body):
            guard let sink else { return }
            let tagKind: FLVTagKind = kind == .audio ? .audio : .video
            do {
                try sink.media(tagKind, timestamp: timestamp, body: body)
            } catch {
                fail(.sinkFailed(channel: publish?.grant.channel ?? "?", kind: tagKind, timestamp: timestamp, underlying: error), context: context)
            }
        case .metadata(let value):
            sink?.metadata(MetadataValue.flatten(value))
        case .cuePoint(let value, let timestamp):
            do {
                try sink?.cuePoint(value, timestamp: timestamp)
            } catch {
                logger.warning("\(error)", metadata: ["channel": "\(publish?.grant.channel ?? "?")"])
            }
        case .endPublish(let messages):
            send(messages, context: context)
            if let channel = publish?.grant.channel { logger.info("\(protocolName) publish ended", metadata: ["channel": "\(channel)"]) }
            closeSink(.stopped)
        case .close(let messages, let reason):
            send(messages, context: context)
            logger.notice("closing \(protocolName) connection: \(reason)")
            close(context: context)
        }
    }

    /// Asks the gateway to authorize the key (never logged) and claim the channel.
    private func authorize(_ streamKey: String, context: ChannelHandlerContext) {
        let gateway = dependencies.gateway
        let request = PublishRequest(streamKey: streamKey, remoteAddress: context.channel.remoteAddress.map { "\($0)" }, source: dependencies.source)
        let connection = context.channel
        let promise = context.eventLoop.makePromise(of: Result<Publish, PublishGateway.Refusal>.self)
        promise.completeWithTask { await gateway.open(request) { connection.close(promise: nil) } }
        promise.futureResult.assumeIsolated().whenSuccess { [self] opened in
            let publish: Publish
            switch opened {
            case .success(let accepted): publish = accepted
            case .failure(.notAuthorized):
                if !closing { perform(session.publishRefused(.unknownStreamKey), context: context) }
                return
            case .failure(.alreadyPublishing):
                if !closing { perform(session.publishRefused(.alreadyPublishing), context: context) }
                return
            case .failure(.stopping):
                if !closing { perform(session.publishRefused(.serverStopping), context: context) }
                return
            }
            guard !closing else {
                publish.close(.abandoned)
                return
            }
            let action = session.publishAccepted()
            guard session.isPublishing else {
                // The client gave up (FCUnpublish/deleteStream) while we were deciding.
                publish.close(.abandoned)
                return
            }
            self.publish = publish
            logger[metadataKey: "channel"] = "\(publish.grant.channel)"
            sink = dependencies.makeSink(publish.publisher)
            logger.info("\(protocolName) publish started", metadata: ["input": "\(publish.grant.role.rawValue)"])
            perform(action, context: context)
        }
    }

    private func send(_ messages: [RTMPMessage], context: ChannelHandlerContext) {
        guard !messages.isEmpty, context.channel.isActive else { return }
        var out = context.channel.allocator.buffer(capacity: 256)
        for message in messages { encoder.encode(message, into: &out) }
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
    }

    /// Logs one line saying what was wrong, then closes this connection only.
    private func fail(_ error: IngestError, context: ChannelHandlerContext) {
        guard !closing else { return }
        logger.warning("closing \(protocolName) connection: \(error)")
        close(context: context)
    }

    private func close(context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = true
        handshakeTimer?.cancel()
        idleTimer?.cancel()
        readTimer?.cancel()
        closeSink(.lost)
        context.close(promise: nil)
    }

    /// Ends the publish: the sink is closed exactly once (it sends what it holds), then the publish.
    private func closeSink(_ ending: PublishEnding) {
        if let sink {
            self.sink = nil
            sink.close()
        }
        publish?.close(ending)
        publish = nil
    }
}
