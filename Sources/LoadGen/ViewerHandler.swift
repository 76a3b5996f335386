import NIOCore
import NIOHTTP1

/// Hands a viewer's connection events to its `Viewer`.
final class ViewerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let viewer: Viewer

    init(viewer: Viewer) {
        self.viewer = viewer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): viewer.responseHead(head, on: context.channel)
        case .body(let body): viewer.responseBody(body, on: context.channel)
        case .end: viewer.responseEnd(on: context.channel)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            viewer.failed(.timeout, on: context.channel)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        viewer.failed(.connection, on: context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        viewer.failed(.connection, on: context.channel)
        context.fireChannelInactive()
    }
}
