import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// The one way playback is served: every request under a playback prefix
/// (``PlaybackRoutes/claims(_:)``) is answered here, on the connection's event loop, ahead of the
/// application; every other request goes on to the router unchanged.
///
/// An answer in memory (nearly every request of a player) is written at once. One that needs work
/// (a request held at the live edge, the archive, the catalog) is written when its task is done,
/// and a clip is streamed from the archive piece by piece, each piece written before the next is
/// read.
///
/// Responses keep the order of requests (HTTP/1.1 pipelining, RFC 9112 §9.3.2): playback answers
/// queue here in request order, and a request for the other side waits, unread, until the
/// responses ahead of it are written. So does any request beyond ``maximumPipelined``.
final class PlaybackHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Answers owed on one connection before it is read no further: pipelined requests held at
    /// the live edge each wait for their own part, and a player never has more than a few in flight.
    static let maximumPipelined = 32
    /// Request parts kept while their request waits its turn; reading stops meanwhile, so only
    /// what one read delivered accumulates. More closes the connection.
    static let maximumHeldParts = 1024

    /// An answer owed, in request order.
    private final class Slot {
        let request: PlaybackRequest
        let start = ContinuousClock.now
        var response: PlaybackResponse?

        init(_ request: PlaybackRequest) { self.request = request }
    }

    private enum Reading {
        /// Between requests.
        case idle
        /// A playback request: its body is not read.
        case playback(Slot)
        /// A request for the application: its parts go on.
        case application
    }

    private let routes: PlaybackRoutes
    private let serverName: String
    private var reading = Reading.idle
    /// Playback answers owed, oldest first.
    private var slots: [Slot] = []
    /// Requests passed on to the application whose response has not ended yet.
    private var passedOn = 0
    /// Parts of requests that wait for the responses ahead of them, in order. While any wait, the
    /// socket is not read (`read` is deferred).
    private var held: [HTTPRequestPart] = []
    private var readDeferred = false
    /// The held parts are being read again.
    private var resuming = false
    /// The answer at the front is a body being streamed.
    private var streaming = false
    /// Bytes of a chunked body written so far: its length, for the observer, once it ends.
    private var chunkedBytes = 0
    /// A response that closes the connection was written: nothing more is read.
    private var closing = false
    /// The peer's address as text, for the observer: formatted once per connection, not per
    /// answer (it goes through the C library's printf).
    private var peer: String??

    init(routes: PlaybackRoutes, serverName: String) {
        self.routes = routes
        self.serverName = serverName
    }

    // MARK: Requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if closing { return }
        if held.isEmpty { read(part, context: context) } else { hold(part, context: context) }
    }

    private func read(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch (part, reading) {
        case (.head(let head), _):
            let playback = head.path.map { PlaybackRoutes.claims(Substring($0)) } ?? false
            guard playback ? passedOn == 0 && slots.count < Self.maximumPipelined : slots.isEmpty else {
                hold(part, context: context)
                return
            }
            if playback, let request = PlaybackRequest(head, loop: context.eventLoop) {
                let slot = Slot(request)
                slots.append(slot)
                reading = .playback(slot)
                return
            }
            passedOn += 1
            reading = .application
        case (.body, .playback):
            return
        case (.end, .playback(let slot)):
            reading = .idle
            answer(slot, context: context)
            return
        case (.end, _):
            reading = .idle
        case (.body, _):
            break
        }
        context.fireChannelRead(wrapInboundOut(part))
    }

    private func hold(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        held.append(part)
        if held.count > Self.maximumHeldParts {
            routes.logger.notice("playback connection closed: more than \(Self.maximumHeldParts) request parts waiting for their turn")
            closing = true
            context.close(promise: nil)
        }
    }

    /// Reads the held parts again, once the responses they waited for are written.
    private func resume(context: ChannelHandlerContext) {
        guard !resuming, !held.isEmpty else { return }
        resuming = true
        defer {
            resuming = false
            // What went on is delivered to the application at the end of a read.
            context.fireChannelReadComplete()
        }
        while !held.isEmpty, !closing {
            let part = held.removeFirst()
            let count = held.count
            read(part, context: context)
            // Held again (its turn has not come): it went to the back; put it first again.
            if held.count > count {
                held.insert(held.removeLast(), at: 0)
                return
            }
        }
        if readDeferred {
            readDeferred = false
            context.read()
        }
    }

    func read(context: ChannelHandlerContext) {
        if held.isEmpty { context.read() } else { readDeferred = true }
    }

    // MARK: Responses

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        if case .end = unwrapOutboundIn(data) {
            passedOn -= 1
            if passedOn == 0 { resume(context: context) }
        }
    }

    private func answer(_ slot: Slot, context: ChannelHandlerContext) {
        settle(routes.answer(slot.request), slot, context: context)
    }

    private func settle(_ answer: PlaybackAnswer, _ slot: Slot, context: ChannelHandlerContext) {
        switch answer {
        case .now(let response):
            slot.response = routes.finish(response, for: slot.request)
            writeAnswers(context: context)
        case .held(let answer):
            // Completed on this loop when the live window wakes it: no task, no hop.
            answer.hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
                self.settle((try? result.get()) ?? .now(.stopping), slot, context: context)
            }
        case .later(let work):
            let (routes, request) = (routes, slot.request)
            context.eventLoop.makeFutureWithTask { routes.finish(await work(), for: request) }
                .assumeIsolated().whenSuccess { response in
                    slot.response = response
                    self.writeAnswers(context: context)
                }
        }
    }

    /// Writes the answers at the front that are ready, in order.
    private func writeAnswers(context: ChannelHandlerContext) {
        while !streaming, !closing, let slot = slots.first, let response = slot.response {
            var headers = response.headers
            // A 304 has no body, and a Content-Length it sends must be the 200's (RFC 9110 §8.6): none.
            if response.status != .notModified, !response.body.isChunked { headers[.contentLength] = String(response.length) }
            headers[.date] = HTTPDate.now
            headers[.server] = serverName
            if slot.request.closesConnection { headers[.connection] = "close" }
            context.write(wrapOutboundOut(.head(HTTPResponse(status: response.status, headerFields: headers))), promise: nil)
            switch slot.request.method == .head ? .buffers([]) : response.body {
            case .buffers(let buffers):
                for buffer in buffers { context.write(wrapOutboundOut(.body(buffer)), promise: nil) }
                written(slot, context: context)
            case .stream(let length, let produce):
                streaming = true
                context.flush()
                stream(produce, length: length, context: context)
            case .chunked(let produce):
                // No Content-Length: HTTP/1.1 sends it chunked (NIO's encoder adds the coding),
                // HTTP/2 in DATA frames.
                streaming = true
                chunkedBytes = 0
                context.flush()
                stream({ _, write in try await produce(write) }, length: 0, context: context)
            }
        }
        if slots.isEmpty, !streaming { resume(context: context) }
    }

    /// Ends the response at the front.
    private func written(_ slot: Slot, context: ChannelHandlerContext) {
        slots.removeFirst()
        if let observer = routes.observer, let response = slot.response {
            if peer == nil { peer = .some(context.channel.remoteAddress?.ipAddress) }
            observer.responded(PlaybackEvent(
                request: slot.request, status: response.status, bytes: response.body.isChunked ? chunkedBytes : response.length,
                duration: ContinuousClock.now - slot.start,
                peer: peer ?? nil))
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        if slot.request.closesConnection {
            closing = true
            context.close(promise: nil)
        }
    }

    /// Writes a streamed body, each piece flushed before the next is produced; a body that fails
    /// half-way closes the connection (its length was promised, or its last chunk never comes).
    private func stream(
        _ produce: @escaping @Sendable (Range<Int>, (ByteBuffer) async throws -> Void) async throws -> Void, length: Int,
        context: ChannelHandlerContext
    ) {
        let loop = context.eventLoop
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: loop)
        loop.makeFutureWithTask {
            try await produce(0..<length) { piece in
                try await loop.flatSubmit {
                    let (handler, context) = bound.value
                    handler.chunkedBytes += piece.readableBytes
                    return context.writeAndFlush(handler.wrapOutboundOut(.body(piece)))
                }.get()
            }
        }.assumeIsolated().whenComplete { result in
            self.streaming = false
            switch result {
            case .success:
                if let slot = self.slots.first { self.written(slot, context: context) }
                self.writeAnswers(context: context)
            case .failure(let error):
                if context.channel.isActive {
                    self.routes.logger.error("playback body failed half-way; closing the connection: \(error)")
                }
                self.closing = true
                context.close(promise: nil)
            }
        }
    }
}

extension PlaybackRoutes {
    /// The handler to put in front of the application on every HTTP/1 connection and in every
    /// HTTP/2 stream (after the stream's frame-to-HTTP codec): it answers every playback request.
    public func channelHandler(serverName: String) -> any RemovableChannelHandler {
        PlaybackHandler(routes: self, serverName: serverName)
    }
}
