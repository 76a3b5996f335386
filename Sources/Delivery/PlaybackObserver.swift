import HTTPTypes

/// Told of every playback response once it is written (by ``PlaybackHandler``, the one path every
/// playback request takes): for access logs and metrics. Called on the connection's event loop; it
/// must return quickly and never block.
public protocol PlaybackObserver: Sendable {
    func responded(_ event: PlaybackEvent)
}

/// One playback response, as a log line or a metric sees it.
public struct PlaybackEvent: Sendable, Hashable {
    public var method: HTTPRequest.Method
    public var kind: PlaybackRouteKind
    public var status: HTTPResponse.Status
    /// Content-Length: the body's bytes (of the range asked for; none written for HEAD).
    public var bytes: Int
    /// From the request's head to its response handed to the connection.
    public var duration: Duration

    public init(method: HTTPRequest.Method, kind: PlaybackRouteKind, status: HTTPResponse.Status, bytes: Int, duration: Duration) {
        self.method = method
        self.kind = kind
        self.status = status
        self.bytes = bytes
        self.duration = duration
    }
}
