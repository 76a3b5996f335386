import MediaCore

extension MediaPlaylist {
    /// Microseconds: every duration written with up to six decimals (ffmpeg writes six, this
    /// module five) parses exactly.
    public static let defaultParseTimescale: UInt32 = 1_000_000

    /// Parses Media Playlist text (RFC 8216bis §4.4.3-§4.4.5) as written by this module, ffmpeg's
    /// `hls` muxer and Apple's tools.
    ///
    /// - Parameters:
    ///   - timescale: ticks per second of every parsed duration; decimals are rounded half up to
    ///     the nearest tick.
    ///   - limits: bounds on the text, checked before the work they bound.
    /// - Throws: ``ManifestError``, with the line number. Unknown tags are ignored (§6.3.1) except
    ///   `EXT-X-KEY` with a method other than `NONE` and `EXT-X-I-FRAMES-ONLY`, which change how
    ///   segments must be read and so are refused as ``ManifestError/Kind/unsupported(_:)``.
    ///   `EXTINF` titles and `EXT-X-BITRATE` are dropped. An `EXT-X-DATERANGE` that cannot be read
    ///   or is over a limit (``PlaylistLimits/maxSCTE35Bytes``, ``PlaylistLimits/maxDateRanges``) is
    ///   left out and counted in ``droppedDateRanges``
    ///   (with ``firstDroppedDateRange``): date ranges are metadata that does not change
    ///   how segments are read, and the rest of the playlist stands.
    public static func parse(
        _ text: String,
        timescale: UInt32 = defaultParseTimescale,
        limits: PlaylistLimits = .default
    ) throws(ManifestError) -> MediaPlaylist {
        let lines = try PlaylistLines.split(text, limits: limits)
        var playlist = MediaPlaylist(version: 1, targetDuration: 0)
        var sawTargetDuration = false

        // Tags that apply to the next segment.
        var discontinuity = false
        var gap = false
        var programDateTime: Int64?
        var parts: [Part] = []
        var duration: MediaTime?
        var byteRange: ByteRange?
        var currentMap: Map?
        var currentKey: Key?
        var dateRanges: [DateRange] = []
        var dateRangeCount = 0
        var pendingLine: PlaylistLine?

        for line in lines {
            switch line.content {
            case .uri(let uri):
                guard let segmentDuration = duration else { throw line.error(.unpairedTag("EXTINF")) }
                guard playlist.segments.count < limits.maxSegments else {
                    throw line.error(.limitExceeded(limit: "maxSegments", maximum: limits.maxSegments))
                }
                playlist.segments.append(Segment(
                    uri: String(uri), duration: segmentDuration, discontinuity: discontinuity, map: currentMap,
                    programDateTime: programDateTime, byteRange: byteRange, parts: parts, gap: gap, key: currentKey))
                playlist.segments[playlist.segments.count - 1].dateRanges = dateRanges
                dateRanges = []
                discontinuity = false
                gap = false
                programDateTime = nil
                parts = []
                duration = nil
                byteRange = nil
                pendingLine = nil

            case .tag(let name, let value):
                let tag = String(name)
                func attributes() throws(ManifestError) -> AttributeList {
                    try AttributeList(value ?? "", line: line, tag: tag, limits: limits)
                }
                func integerValue() throws(ManifestError) -> Int64 {
                    guard let value, let number = DecimalSeconds.decimalDigits(value) else {
                        throw line.error(.invalidValue(tag: tag, attribute: nil))
                    }
                    return number
                }
                switch name {
                case "EXT-X-VERSION":
                    playlist.version = Int(try integerValue())
                case "EXT-X-TARGETDURATION":
                    playlist.targetDuration = Int(try integerValue())
                    sawTargetDuration = true
                case "EXT-X-MEDIA-SEQUENCE":
                    playlist.mediaSequence = try integerValue()
                case "EXT-X-DISCONTINUITY-SEQUENCE":
                    playlist.discontinuitySequence = try integerValue()
                case "EXT-X-PLAYLIST-TYPE":
                    guard let value, let type = PlaylistType(rawValue: String(value)) else {
                        throw line.error(.invalidValue(tag: tag, attribute: nil))
                    }
                    playlist.playlistType = type
                case "EXT-X-INDEPENDENT-SEGMENTS":
                    playlist.independentSegments = true
                case "EXT-X-ENDLIST":
                    playlist.endList = true
                case "EXT-X-PART-INF":
                    let a = try attributes()
                    playlist.partTarget = try a.require("PART-TARGET") { n throws(ManifestError) in
                        try a.seconds(n, timescale: timescale)
                    }
                case "EXT-X-SERVER-CONTROL":
                    let a = try attributes()
                    playlist.serverControl = ServerControl(
                        canBlockReload: try a.flag("CAN-BLOCK-RELOAD"),
                        canSkipUntil: try a.seconds("CAN-SKIP-UNTIL", timescale: timescale),
                        canSkipDateRanges: try a.flag("CAN-SKIP-DATERANGES"),
                        holdBack: try a.seconds("HOLD-BACK", timescale: timescale),
                        partHoldBack: try a.seconds("PART-HOLD-BACK", timescale: timescale))
                case "EXT-X-SKIP":
                    let a = try attributes()
                    let skipped = try a.require("SKIPPED-SEGMENTS") { n throws(ManifestError) in try a.integer(n) }
                    guard skipped <= limits.maxSegments else {
                        throw line.error(.limitExceeded(limit: "maxSegments", maximum: limits.maxSegments))
                    }
                    playlist.skippedSegments = Int(skipped)
                case "EXTINF":
                    guard let value else { throw line.error(.invalidValue(tag: tag, attribute: nil)) }
                    let number = value.prefix { $0 != "," }
                    guard let parsed = DecimalSeconds.parse(number, timescale: timescale) else {
                        throw line.error(.invalidValue(tag: tag, attribute: nil))
                    }
                    duration = parsed
                    pendingLine = line
                case "EXT-X-BYTERANGE":
                    guard let value, let range = ByteRange.parse(value) else {
                        throw line.error(.invalidValue(tag: tag, attribute: nil))
                    }
                    byteRange = range
                case "EXT-X-DISCONTINUITY":
                    discontinuity = true
                case "EXT-X-GAP":
                    gap = true
                case "EXT-X-PROGRAM-DATE-TIME":
                    guard let value, let date = ProgramDateTime.parse(value) else {
                        throw line.error(.invalidValue(tag: tag, attribute: nil))
                    }
                    programDateTime = date
                case "EXT-X-MAP":
                    let a = try attributes()
                    let uri = try a.require("URI") { n throws(ManifestError) in try a.string(n) }
                    var range: ByteRange?
                    if let text = try a.string("BYTERANGE") {
                        guard let parsed = ByteRange.parse(Substring(text)) else {
                            throw line.error(.invalidValue(tag: tag, attribute: "BYTERANGE"))
                        }
                        range = parsed
                    }
                    currentMap = Map(uri: uri, byteRange: range)
                case "EXT-X-PART":
                    guard parts.count < limits.maxPartsPerSegment else {
                        throw line.error(.limitExceeded(limit: "maxPartsPerSegment", maximum: limits.maxPartsPerSegment))
                    }
                    parts.append(try parsePart(try attributes(), line: line, timescale: timescale))
                case "EXT-X-PRELOAD-HINT":
                    let a = try attributes()
                    let typeText = try a.require("TYPE") { n throws(ManifestError) in try a.enumerated(n) }
                    guard let type = PreloadHint.HintType(rawValue: String(typeText)) else {
                        throw line.error(.invalidValue(tag: tag, attribute: "TYPE"))
                    }
                    playlist.preloadHint = PreloadHint(
                        type: type,
                        uri: try a.require("URI") { n throws(ManifestError) in try a.string(n) },
                        byteRangeStart: try a.integer("BYTERANGE-START"),
                        byteRangeLength: try a.integer("BYTERANGE-LENGTH"))
                case "EXT-X-RENDITION-REPORT":
                    guard playlist.renditionReports.count < limits.maxStreams else {
                        throw line.error(.limitExceeded(limit: "maxStreams", maximum: limits.maxStreams))
                    }
                    let a = try attributes()
                    playlist.renditionReports.append(RenditionReport(
                        uri: try a.require("URI") { n throws(ManifestError) in try a.string(n) },
                        lastMSN: try a.require("LAST-MSN") { n throws(ManifestError) in try a.integer(n) },
                        lastPart: try a.integer("LAST-PART").map { Int($0) }))
                case "EXT-X-DATERANGE":
                    dateRangeCount += 1
                    do throws(ManifestError) {
                        guard dateRangeCount <= limits.maxDateRanges else {
                            throw line.error(.limitExceeded(limit: "maxDateRanges", maximum: limits.maxDateRanges))
                        }
                        dateRanges.append(try DateRange.parse(try attributes(), line: line, timescale: timescale, limits: limits))
                    } catch {
                        playlist.droppedDateRanges += 1
                        if playlist.firstDroppedDateRange == nil { playlist.firstDroppedDateRange = error }
                    }
                case "EXT-X-KEY":
                    currentKey = try parseKey(try attributes(), line: line)
                case "EXT-X-I-FRAMES-ONLY":
                    throw line.error(.unsupported(tag))
                case "EXT-X-STREAM-INF", "EXT-X-MEDIA", "EXT-X-I-FRAME-STREAM-INF", "EXT-X-SESSION-DATA",
                     "EXT-X-SESSION-KEY", "EXT-X-CONTENT-STEERING":
                    throw line.error(.wrongPlaylistKind)
                default:
                    continue  // §6.3.1: clients ignore tags they do not recognise.
                }
            }
        }
        if let pendingLine { throw pendingLine.error(.unpairedTag("EXTINF")) }
        guard sawTargetDuration else { throw ManifestError(.missingTag("EXT-X-TARGETDURATION")) }
        // An EXT-X-MAP after the last segment opens the next one only if it changes the init
        // segment: a repeated one changes nothing (RFC 8216bis §4.4.4.5).
        let mapChanged = currentMap != nil && currentMap != playlist.segments.last?.map
        if discontinuity || programDateTime != nil || !parts.isEmpty || mapChanged || !dateRanges.isEmpty {
            playlist.inProgressSegment = InProgressSegment(
                discontinuity: discontinuity, map: currentMap, programDateTime: programDateTime, parts: parts, key: currentKey)
            playlist.inProgressSegment?.dateRanges = dateRanges
        }
        return playlist
    }

    /// `EXT-X-KEY` (§4.4.4.4): nil for `METHOD=NONE`; `AES-128` or `SAMPLE-AES` (fMP4 `cbcs`)
    /// with its URI and its IV (a key without an explicit IV, and other methods, are not
    /// supported).
    private static func parseKey(_ a: AttributeList, line: PlaylistLine) throws(ManifestError) -> Key? {
        let method = try a.require("METHOD") { n throws(ManifestError) in try a.enumerated(n) }
        if method == "NONE" { return nil }
        guard let known = Key.Method(rawValue: String(method)), let ivText = try a.enumerated("IV") else {
            throw line.error(.unsupported("EXT-X-KEY"))
        }
        guard let iv = Key.parseIV(ivText) else { throw line.error(.invalidValue(tag: "EXT-X-KEY", attribute: "IV")) }
        return Key(method: known, uri: try a.require("URI") { n throws(ManifestError) in try a.string(n) }, iv: iv)
    }

    private static func parsePart(_ a: AttributeList, line: PlaylistLine, timescale: UInt32) throws(ManifestError) -> Part {
        var range: ByteRange?
        if let text = try a.string("BYTERANGE") {
            guard let parsed = ByteRange.parse(Substring(text)) else {
                throw line.error(.invalidValue(tag: "EXT-X-PART", attribute: "BYTERANGE"))
            }
            range = parsed
        }
        return Part(
            uri: try a.require("URI") { n throws(ManifestError) in try a.string(n) },
            duration: try a.require("DURATION") { n throws(ManifestError) in try a.seconds(n, timescale: timescale) },
            independent: try a.flag("INDEPENDENT"),
            byteRange: range,
            gap: try a.flag("GAP"))
    }
}
