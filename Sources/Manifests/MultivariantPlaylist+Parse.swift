import MediaCore

extension MultivariantPlaylist {
    /// Parses Multivariant Playlist text (RFC 8216bis §4.4.6).
    ///
    /// Unknown tags and attributes are ignored (§6.3.1), among them `EXT-X-I-FRAME-STREAM-INF`,
    /// `EXT-X-SESSION-DATA`, and the `SUBTITLES`, `VIDEO` and `HDCP-LEVEL`
    /// attributes of `EXT-X-STREAM-INF`.
    /// - Throws: ``ManifestError`` with the line number; media segment tags (`EXTINF`) are
    ///   ``ManifestError/Kind/wrongPlaylistKind``.
    public static func parse(_ text: String, limits: PlaylistLimits = .default) throws(ManifestError) -> MultivariantPlaylist {
        let lines = try PlaylistLines.split(text, limits: limits)
        var playlist = MultivariantPlaylist(version: 1)
        var pending: (line: PlaylistLine, attributes: AttributeList)?

        func checkCount(_ line: PlaylistLine) throws(ManifestError) {
            guard playlist.renditions.count + playlist.variants.count < limits.maxStreams else {
                throw line.error(.limitExceeded(limit: "maxStreams", maximum: limits.maxStreams))
            }
        }

        for line in lines {
            switch line.content {
            case .uri(let uri):
                guard let (streamLine, a) = pending else { throw line.error(.unpairedTag("EXT-X-STREAM-INF")) }
                playlist.variants.append(try variant(a, uri: String(uri), line: streamLine))
                pending = nil
            case .tag(let name, let value):
                let tag = String(name)
                if pending != nil { throw line.error(.unpairedTag("EXT-X-STREAM-INF")) }
                switch name {
                case "EXT-X-VERSION":
                    guard let value, let number = DecimalSeconds.decimalDigits(value) else {
                        throw line.error(.invalidValue(tag: tag, attribute: nil))
                    }
                    playlist.version = Int(number)
                case "EXT-X-INDEPENDENT-SEGMENTS":
                    playlist.independentSegments = true
                case "EXT-X-MEDIA":
                    try checkCount(line)
                    playlist.renditions.append(try rendition(try AttributeList(value ?? "", line: line, tag: tag, limits: limits), line: line))
                case "EXT-X-STREAM-INF":
                    try checkCount(line)
                    pending = (line, try AttributeList(value ?? "", line: line, tag: tag, limits: limits))
                case "EXTINF", "EXT-X-TARGETDURATION", "EXT-X-PART", "EXT-X-MEDIA-SEQUENCE", "EXT-X-ENDLIST":
                    throw line.error(.wrongPlaylistKind)
                default:
                    continue
                }
            }
        }
        if let (line, _) = pending { throw line.error(.unpairedTag("EXT-X-STREAM-INF")) }
        return playlist
    }

    private static func rendition(_ a: AttributeList, line: PlaylistLine) throws(ManifestError) -> Rendition {
        let typeText = try a.require("TYPE") { n throws(ManifestError) in try a.enumerated(n) }
        guard let type = Rendition.MediaType(rawValue: String(typeText)) else {
            throw line.error(.invalidValue(tag: "EXT-X-MEDIA", attribute: "TYPE"))
        }
        return Rendition(
            type: type,
            groupID: try a.require("GROUP-ID") { n throws(ManifestError) in try a.string(n) },
            name: try a.require("NAME") { n throws(ManifestError) in try a.string(n) },
            language: try a.string("LANGUAGE"),
            isDefault: try a.flag("DEFAULT"),
            autoselect: try a.flag("AUTOSELECT"),
            channels: try a.string("CHANNELS"),
            instreamID: try a.string("INSTREAM-ID"),
            uri: try a.string("URI"))
    }

    private static func variant(_ a: AttributeList, uri: String, line: PlaylistLine) throws(ManifestError) -> Variant {
        let tag = "EXT-X-STREAM-INF"
        var resolution: Resolution?
        if let text = try a.enumerated("RESOLUTION") {
            let parts = text.split(separator: "x", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let w = DecimalSeconds.decimalDigits(parts[0]), let h = DecimalSeconds.decimalDigits(parts[1]) else {
                throw line.error(.invalidValue(tag: tag, attribute: "RESOLUTION"))
            }
            resolution = Resolution(width: Int(w), height: Int(h))
        }
        var frameRate: Rational?
        if let text = try a.enumerated("FRAME-RATE") {
            // The decimal as written, over a power of ten: exact, no floating point.
            guard let time = DecimalSeconds.parse(text, timescale: 1_000), time.ticks > 0 else {
                throw line.error(.invalidValue(tag: tag, attribute: "FRAME-RATE"))
            }
            frameRate = Rational(time.ticks, 1_000)
        }
        var closedCaptions: ClosedCaptions?
        if let value = a.stringOrEnumerated("CLOSED-CAPTIONS") {
            guard value.quoted || value.text == "NONE" else { throw line.error(.invalidValue(tag: tag, attribute: "CLOSED-CAPTIONS")) }
            closedCaptions = value.quoted ? .group(value.text) : .notCarried
        }
        return Variant(
            bandwidth: Int(try a.require("BANDWIDTH") { n throws(ManifestError) in try a.integer(n) }),
            averageBandwidth: try a.integer("AVERAGE-BANDWIDTH").map { Int($0) },
            // RFC 6381 §3.2: a comma-separated list; blanks around an entry are not part of it, and an
            // empty entry names no codec.
            codecs: try a.string("CODECS").map { $0.split(separator: ",").map { String($0.drop { $0 == " " }) }.filter { !$0.isEmpty } } ?? [],
            resolution: resolution,
            frameRate: frameRate,
            audioGroup: try a.string("AUDIO"),
            closedCaptions: closedCaptions,
            uri: uri)
    }
}
