import HTTPTypes
import HummingbirdCore
import NIOCore

/// A playback request as the routes read it: its method, path, query and headers, and the event
/// loop of the connection it came in on.
public struct PlaybackRequest: Sendable {
    public var method: HTTPRequest.Method
    /// The path without its query, as sent (not percent-decoded: names never need it).
    public var path: Substring
    /// The query's parameters, values percent-decoded; empty without a query.
    public var parameters: FlatDictionary<Substring, Substring>
    /// The path's names, after the leading `/`: `["hls", channel, rendition, file]`.
    public var names: [String]
    /// What the path names, for the routes and for metrics.
    public var kind: PlaybackRouteKind
    public var headers: HTTPFields
    /// The loop whose timers bound a request held at the live edge: the connection's own.
    public var loop: any EventLoop

    /// Nil when the head has no path (an `OPTIONS *` or CONNECT form).
    public init?(_ head: HTTPRequest, loop: any EventLoop) {
        guard let target = head.path else { return nil }
        self.method = head.method
        self.headers = head.headerFields
        self.loop = loop
        if let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = target[..<mark]
            parameters = URI(target).queryParameters
        } else {
            path = target[...]
            parameters = [:]
        }
        names = Self.names(path)
        kind = PlaybackRouteKind(names: names)
    }

    /// The names of `path` after its leading `/`, split on bytes: names are ASCII, and anything
    /// else is no name the routes know.
    static func names(_ path: Substring) -> [String] {
        path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst().map { String(Substring($0)) }
    }

    /// The value of query parameter `name`, if given.
    func query(_ name: String) -> String? {
        parameters.isEmpty ? nil : parameters[Substring(name)].map(String.init)
    }

    /// The request asks the connection to close after its response (RFC 9112 §9.6).
    var closesConnection: Bool {
        headers[.connection]?.lowercased().contains("close") ?? false
    }
}
