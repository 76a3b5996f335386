/// Query parameters that every relative URI of a rendered playlist carries: a playback token, a
/// DVR reach, an archive range. Relative URIs resolve against the playlist's URI and its query does
/// not carry over by itself (RFC 8216bis §4.1, RFC 3986 §5.2), so the renderers append it to each
/// URI they write: `MediaPlaylist.render(query:)`, `MultivariantPlaylist.render(query:)`.
///
/// A URI with a query gets `&`, one without gets `?`; a fragment stays last. Absolute URIs
/// (`scheme:` or `//host`, RFC 3986 §4.2) point elsewhere and are left alone, so a token never
/// leaks to another host.
public struct URIQuery: Sendable, Hashable {
    /// `name=value[&name=value…]`, already URL-safe.
    public let parameters: String

    /// - Parameter parameters: `name=value[&name=value…]`, already URL-safe (nothing is encoded).
    public init(_ parameters: String) {
        self.parameters = parameters
    }

    /// These parameters, then `more`: the same as appending one query and then the other.
    public func appending(_ more: URIQuery) -> URIQuery {
        URIQuery(parameters + "&" + more.parameters)
    }

    /// `uri` with the parameters appended, or as it is when absolute.
    public func applied(to uri: String) -> String {
        var out = ""
        append(uri, to: &out)
        return out
    }

    /// Writes `uri` with the parameters into `out`, without building the URI first.
    func append(_ uri: String, to out: inout String) {
        let bytes = uri.utf8
        if Self.isAbsolute(bytes) {
            out += uri
            return
        }
        // One pass for the query's `?` and the fragment's `#` (RFC 3986 §3.4, §3.5).
        var question: String.Index?
        var fragment: String.Index?
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let byte = bytes[i]
            if byte == UInt8(ascii: "#") {
                fragment = i
                break
            }
            if byte == UInt8(ascii: "?"), question == nil { question = i }
            bytes.formIndex(after: &i)
        }
        guard let question else {
            guard let fragment else {
                // Nearly every URI a playlist holds: no query, no fragment.
                out += uri
                out += "?"
                out += parameters
                return
            }
            out += uri[..<fragment]
            out += "?"
            out += parameters
            out += uri[fragment...]
            return
        }
        let end = fragment ?? bytes.endIndex
        out += uri[..<end]
        // `a?` and `a?x&` need no separator of their own.
        if bytes.index(after: question) != end, bytes[bytes.index(before: end)] != UInt8(ascii: "&") { out += "&" }
        out += parameters
        if let fragment { out += uri[fragment...] }
    }

    /// RFC 3986 §3.1, §4.2: a URI starts with a scheme (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`
    /// and `:`), a network-path reference with `//`; a relative reference has neither.
    private static func isAbsolute(_ uri: String.UTF8View) -> Bool {
        var bytes = uri.makeIterator()
        guard let first = bytes.next() else { return false }
        if first == UInt8(ascii: "/") { return bytes.next() == UInt8(ascii: "/") }
        guard isLetter(first) else { return false }
        while let byte = bytes.next() {
            if byte == UInt8(ascii: ":") { return true }
            guard isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") else { return false }
        }
        return false
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }
}

extension URIQuery? {
    /// This query (if any), then `more`.
    public func appending(_ more: URIQuery) -> URIQuery {
        self.map { $0.appending(more) } ?? more
    }

    /// `uri` with the query, if there is one, written into `out`.
    func append(_ uri: String, to out: inout String) {
        if let query = self { query.append(uri, to: &out) } else { out += uri }
    }
}
