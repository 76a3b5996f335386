import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers live playback requests on the connection's event loop, before they reach the
/// application: ``PlaybackRoutes/immediateResponse(to:)`` says which (a rendition's playlist,
/// init segment, segments and parts that exist, of a public channel), and everything else goes on
/// to the router unchanged.
///
/// A player polls its playlist and fetches each new part, a dozen requests a second; taking them
/// through the application's request task costs about twice the CPU of answering them here (see
/// bench/README.md), and the answer is the same.
///
/// Responses keep the order of requests (HTTP/1.1 pipelining): while a request passed on is not
/// yet answered, the ones behind it are passed on too.
final class LivePlaybackHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let routes: PlaybackRoutes
    private let serverName: String
    /// Requests passed on whose response has not ended yet.
    private var passedOn = 0
    /// The answer to the request being read, written once its end arrives; nil while the request
    /// being read goes on to the application.
    private var answering: PlaybackResponse?
    /// When the request being answered arrived and what it asked for, when there is an observer.
    private var observed: (start: ContinuousClock.Instant, method: HTTPRequest.Method, kind: PlaybackRouteKind)?

    init(routes: PlaybackRoutes, serverName: String) {
        self.routes = routes
        self.serverName = serverName
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            // A request that closes the connection goes on: the application closes it after answering.
            let closes = request.headerFields[.connection]?.lowercased().contains("close") ?? false
            if passedOn == 0, !closes, var response = routes.immediateResponse(to: request) {
                // As the playback routes' CORS middleware answers a request that names its origin.
                if request.headerFields[.origin] != nil { response.headers[.accessControlAllowOrigin] = "*" }
                answering = response
                if routes.observer != nil, let path = request.path {
                    observed = (ContinuousClock.now, request.method, PlaybackRouteKind(path: Substring(path)))
                }
                return
            }
            passedOn += 1
        case .body:
            if answering != nil { return }
        case .end:
            if let response = answering {
                answering = nil
                write(response, context: context)
                return
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { passedOn -= 1 }
        context.write(data, promise: promise)
    }

    private func write(_ response: PlaybackResponse, context: ChannelHandlerContext) {
        var headers = response.headers
        headers[.contentLength] = String(response.length)
        headers[.date] = HTTPDate.now
        headers[.server] = serverName
        context.write(wrapOutboundOut(.head(HTTPResponse(status: response.status, headerFields: headers))), promise: nil)
        for buffer in response.body { context.write(wrapOutboundOut(.body(buffer)), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        if let observer = routes.observer, let (start, method, kind) = observed {
            observed = nil
            observer.responded(PlaybackEvent(
                method: method, kind: kind, status: response.status, bytes: response.length, duration: ContinuousClock.now - start))
        }
    }
}

extension PlaybackRoutes {
    /// The handler to put in front of the application on every HTTP/1 connection.
    public func liveHandler(serverName: String) -> any RemovableChannelHandler {
        LivePlaybackHandler(routes: self, serverName: serverName)
    }
}
