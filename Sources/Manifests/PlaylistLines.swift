/// One non-blank line of a playlist (RFC 8216bis §4.1): a tag, or a URI. Comments are dropped.
struct PlaylistLine {
    enum Content {
        /// `#EXT...`: the tag name without `#`, and the value after the first `:`, if any.
        case tag(name: Substring, value: Substring?)
        case uri(Substring)
    }

    var number: Int
    var text: Substring
    var content: Content

    func error(_ kind: ManifestError.Kind) -> ManifestError {
        ManifestError(kind, line: number, excerpt: text)
    }
}

/// Splits playlist text into lines under ``PlaylistLimits`` and checks the `#EXTM3U` header.
/// Accepts LF and CRLF line ends and a leading UTF-8 byte order mark.
enum PlaylistLines {
    static func split(_ text: String, limits: PlaylistLimits) throws(ManifestError) -> [PlaylistLine] {
        guard text.utf8.count <= limits.maxBytes else {
            throw ManifestError(.limitExceeded(limit: "maxBytes", maximum: limits.maxBytes))
        }
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        var lines: [PlaylistLine] = []
        var number = 0
        var sawHeader = false
        // "\r\n" is one Character (one grapheme cluster) in Swift, so both line ends are listed.
        for raw in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            guard number <= limits.maxLines else {
                throw ManifestError(.limitExceeded(limit: "maxLines", maximum: limits.maxLines), line: number)
            }
            var line = raw
            if line.hasSuffix("\r") { line = line.dropLast() }
            guard line.utf8.count <= limits.maxLineBytes else {
                throw ManifestError(
                    .limitExceeded(limit: "maxLineBytes", maximum: limits.maxLineBytes), line: number, excerpt: line)
            }
            // §4.1: blank lines are ignored; so is whitespace around a line.
            line = trimmed(line)
            if line.isEmpty { continue }
            if !sawHeader {
                guard line == "#EXTM3U" else { throw ManifestError(.missingHeader, line: number, excerpt: line) }
                sawHeader = true
                continue
            }
            if line.hasPrefix("#EXT") {
                let body = line.dropFirst()
                if let colon = body.firstIndex(of: ":") {
                    let name = body[..<colon]
                    lines.append(PlaylistLine(number: number, text: line, content: .tag(name: name, value: body[body.index(after: colon)...])))
                } else {
                    lines.append(PlaylistLine(number: number, text: line, content: .tag(name: body, value: nil)))
                }
            } else if line.hasPrefix("#") {
                continue  // §4.1: a comment.
            } else {
                // A URI has no control characters (RFC 3986 §2); a carriage return left inside one
                // would also not survive being written and read again.
                guard !line.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                    throw ManifestError(.invalidURI, line: number, excerpt: line)
                }
                lines.append(PlaylistLine(number: number, text: line, content: .uri(line)))
            }
        }
        guard sawHeader else { throw ManifestError(.missingHeader) }
        return lines
    }

    private static func trimmed(_ line: Substring) -> Substring {
        var line = line
        while let first = line.first, first == " " || first == "\t" { line = line.dropFirst() }
        while let last = line.last, last == " " || last == "\t" { line = line.dropLast() }
        return line
    }
}
