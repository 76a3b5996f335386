/// Where a viewer connects and what it asks for, from a `http://HOST:PORT/…/index.m3u8` URL.
struct Target: Sendable {
    var host: String
    var port: Int
    /// The `Host` header.
    var authority: String
    /// The media playlist's path.
    var playlist: String
    /// The playlist's directory, with its trailing slash: parts are relative to it.
    var directory: String

    init?(url: String) {
        guard url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let authority = String(rest[..<slash])
        let path = String(rest[slash...])
        guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]),
              let lastSlash = path.lastIndex(of: "/") else { return nil }
        self.host = String(authority[..<colon])
        self.port = port
        self.authority = authority
        self.playlist = path
        self.directory = String(path[...lastSlash])
    }
}
