/// Appends a query parameter to every URI of an HLS playlist, so a token given for the playlist
/// carries on to everything it references (RFC 8216bis §4.1: relative URIs resolve against the
/// playlist's URI, and its query does not carry over by itself).
///
/// Rewritten: URI lines (variant streams, segments) and the quoted `URI` attribute of every tag but
/// `EXTINF` (whose free-text title is not an attribute list): `EXT-X-MEDIA`,
/// `EXT-X-I-FRAME-STREAM-INF`, `EXT-X-MAP`, `EXT-X-PART`, `EXT-X-PRELOAD-HINT`,
/// `EXT-X-RENDITION-REPORT`, `EXT-X-KEY`, `EXT-X-SESSION-KEY`, `EXT-X-SESSION-DATA` and any tag to
/// come. A URI with a query gets `&`, one without gets `?`; a fragment stays last. Absolute URIs
/// (`scheme:` or `//host`) point elsewhere and are left alone, so a token never leaks to another
/// host.
enum PlaylistQuery {
    /// - Parameter parameter: `name=value`, already URL-safe.
    static func appending(_ parameter: String, to playlist: String) -> String {
        var out = ""
        out.reserveCapacity(playlist.utf8.count * 2)
        // Lines end with LF or CRLF (§4.1); CRLF is one Character, so walk Characters.
        var lineStart = playlist.startIndex
        var i = playlist.startIndex
        while i < playlist.endIndex {
            let c = playlist[i]
            if c == "\n" || c == "\r\n" {
                out += rewrite(playlist[lineStart..<i], parameter)
                out.append(c)
                i = playlist.index(after: i)
                lineStart = i
            } else {
                i = playlist.index(after: i)
            }
        }
        out += rewrite(playlist[lineStart...], parameter)
        return out
    }

    private static func rewrite(_ line: Substring, _ parameter: String) -> String {
        if line.allSatisfy({ $0 == " " || $0 == "\t" }) { return String(line) }
        guard line.hasPrefix("#") else { return appendingQuery(parameter, to: line) }
        guard line.hasPrefix("#EXT"), !line.hasPrefix("#EXTINF:"), let colon = line.firstIndex(of: ":") else { return String(line) }
        return String(line[...colon]) + rewriteAttributes(line[line.index(after: colon)...], parameter)
    }

    /// Walks an attribute list (§4.2): `NAME=value` pairs separated by commas, where a quoted
    /// string runs to the next `"` and may hold commas. Only a quoted `URI` changes.
    private static func rewriteAttributes(_ list: Substring, _ parameter: String) -> String {
        var out = ""
        var i = list.startIndex
        while i < list.endIndex {
            // The name runs to '=' (or, if this is no attribute list, to ',' or the end).
            let nameStart = i
            while i < list.endIndex, list[i] != "=", list[i] != "," { i = list.index(after: i) }
            let name = list[nameStart..<i]
            out += name
            guard i < list.endIndex else { break }
            out.append(list[i])
            if list[i] == "," { i = list.index(after: i); continue }
            i = list.index(after: i)
            if i < list.endIndex, list[i] == "\"" {
                let valueStart = list.index(after: i)
                guard let close = list[valueStart...].firstIndex(of: "\"") else {
                    out += list[i...]
                    break
                }
                let value = list[valueStart..<close]
                out += "\"" + (name == "URI" ? appendingQuery(parameter, to: value) : String(value)) + "\""
                i = list.index(after: close)
            } else {
                let valueStart = i
                while i < list.endIndex, list[i] != "," { i = list.index(after: i) }
                out += list[valueStart..<i]
            }
            if i < list.endIndex {
                out.append(list[i])
                i = list.index(after: i)
            }
        }
        return out
    }

    static func appendingQuery(_ parameter: String, to uri: Substring) -> String {
        if isAbsolute(uri) { return String(uri) }
        let fragmentStart = uri.firstIndex(of: "#") ?? uri.endIndex
        let base = uri[..<fragmentStart]
        let separator: String
        if let question = base.firstIndex(of: "?") {
            separator = base.index(after: question) == base.endIndex || base.hasSuffix("&") ? "" : "&"
        } else {
            separator = "?"
        }
        return base + separator + parameter + uri[fragmentStart...]
    }

    /// RFC 3986 §4.2: a relative reference has no scheme and does not start with `//`.
    private static func isAbsolute(_ uri: Substring) -> Bool {
        if uri.hasPrefix("//") { return true }
        guard let colon = uri.firstIndex(of: ":") else { return false }
        let scheme = uri[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter else { return false }
        return scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
    }
}
