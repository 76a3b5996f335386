import MediaCore

extension MediaPlaylist {
    /// The playlist text, LF line ends, ending with a newline.
    ///
    /// Order: header tags (`EXTM3U`, `VERSION`, `TARGETDURATION`, `MEDIA-SEQUENCE`,
    /// `DISCONTINUITY-SEQUENCE`, `PLAYLIST-TYPE`, `INDEPENDENT-SEGMENTS`, `SERVER-CONTROL`,
    /// `PART-INF`), `EXT-X-SKIP`, then per segment `DISCONTINUITY`, `MAP` (when it changes),
    /// `KEY` (when it changes), `PROGRAM-DATE-TIME`, `DATERANGE`s, its `PART`s, `GAP`, `EXTINF`, `BYTERANGE` and URI; then the in-progress
    /// segment's tags and parts, `PRELOAD-HINT`, `RENDITION-REPORT`s and `ENDLIST`.
    ///
    /// Every duration is written in seconds with five decimals, rounded half up from its ticks.
    /// Nothing is validated here: the model is rendered as given.
    ///
    /// - Parameter query: parameters every URI gets (segments, parts, maps, the preload hint,
    ///   rendition reports, keys), as ``URIQuery`` says; nil renders each URI as it is.
    public func render(query: URIQuery? = nil) -> String {
        var out = ""
        // About 160 bytes per segment (its map included) and 70 per part, and the query once per
        // URI: one allocation for the whole text.
        let parts = segments.reduce(0) { $0 + $1.parts.count } + (inProgressSegment?.parts.count ?? 0)
        let perURI = query.map { $0.parameters.utf8.count + 1 } ?? 0
        out.reserveCapacity(512 + (160 + 2 * perURI) * segments.count + (70 + perURI) * parts
            + perURI * (renditionReports.count + 2))
        out += "#EXTM3U\n"
        Self.line(&out, "#EXT-X-VERSION:", String(version))
        Self.line(&out, "#EXT-X-TARGETDURATION:", String(targetDuration))
        Self.line(&out, "#EXT-X-MEDIA-SEQUENCE:", String(mediaSequence))
        if discontinuitySequence != 0 { Self.line(&out, "#EXT-X-DISCONTINUITY-SEQUENCE:", String(discontinuitySequence)) }
        if let playlistType { Self.line(&out, "#EXT-X-PLAYLIST-TYPE:", playlistType.rawValue) }
        if independentSegments { out += "#EXT-X-INDEPENDENT-SEGMENTS\n" }
        if let serverControl {
            var a = AttributeWriter()
            a.yes("CAN-BLOCK-RELOAD", serverControl.canBlockReload)
            a.seconds("CAN-SKIP-UNTIL", serverControl.canSkipUntil)
            a.yes("CAN-SKIP-DATERANGES", serverControl.canSkipDateRanges)
            a.seconds("HOLD-BACK", serverControl.holdBack)
            a.seconds("PART-HOLD-BACK", serverControl.partHoldBack)
            Self.line(&out, "#EXT-X-SERVER-CONTROL:", a.text)
        }
        if let partTarget { Self.line(&out, "#EXT-X-PART-INF:PART-TARGET=", DecimalSeconds.format(partTarget)) }
        if skippedSegments != 0 { Self.line(&out, "#EXT-X-SKIP:SKIPPED-SEGMENTS=", String(skippedSegments)) }

        var current = Current()
        for segment in segments {
            Self.renderHeader(
                discontinuity: segment.discontinuity, map: segment.map, key: segment.key, programDateTime: segment.programDateTime,
                dateRanges: segment.dateRanges, parts: segment.parts, current: &current, query: query, into: &out)
            if segment.gap { out += "#EXT-X-GAP\n" }
            Self.line(&out, "#EXTINF:", DecimalSeconds.format(segment.duration), ",")
            if let byteRange = segment.byteRange { Self.line(&out, "#EXT-X-BYTERANGE:", byteRange.rendered) }
            query.append(segment.uri, to: &out)
            out += "\n"
        }
        if let open = inProgressSegment {
            Self.renderHeader(
                discontinuity: open.discontinuity, map: open.map, key: open.key, programDateTime: open.programDateTime,
                dateRanges: open.dateRanges, parts: open.parts, current: &current, query: query, into: &out)
        }
        if let preloadHint {
            var a = AttributeWriter()
            a.enumerated("TYPE", preloadHint.type.rawValue)
            a.uri(preloadHint.uri, query: query)
            a.integer("BYTERANGE-START", preloadHint.byteRangeStart)
            a.integer("BYTERANGE-LENGTH", preloadHint.byteRangeLength)
            Self.line(&out, "#EXT-X-PRELOAD-HINT:", a.text)
        }
        for report in renditionReports {
            var a = AttributeWriter()
            a.uri(report.uri, query: query)
            a.integer("LAST-MSN", report.lastMSN)
            a.integer("LAST-PART", report.lastPart)
            Self.line(&out, "#EXT-X-RENDITION-REPORT:", a.text)
        }
        if endList { out += "#EXT-X-ENDLIST\n" }
        return out
    }

    /// The `EXT-X-MAP` and `EXT-X-KEY` in effect at this point of the text.
    private struct Current {
        var map: Map?
        var key: Key?
    }

    private static func renderHeader(
        discontinuity: Bool, map: Map?, key: Key?, programDateTime: Int64?, dateRanges: [DateRange], parts: [Part],
        current: inout Current, query: URIQuery?, into out: inout String
    ) {
        if discontinuity { out += "#EXT-X-DISCONTINUITY\n" }
        if let map, map != current.map {
            // An AES-128 key in effect would cover the map too (§4.4.4.5); init segments are not
            // encrypted whole. A SAMPLE-AES key leaves the map as it is.
            if let key = current.key, key.method == .aes128 {
                out += "#EXT-X-KEY:METHOD=NONE\n"
                current.key = nil
            }
            var a = AttributeWriter()
            a.uri(map.uri, query: query)
            a.string("BYTERANGE", map.byteRange?.rendered)
            Self.line(&out, "#EXT-X-MAP:", a.text)
            current.map = map
        }
        if key != current.key {
            var a = AttributeWriter(capacity: 128)
            if let key {
                a.enumerated("METHOD", key.method.rawValue)
                a.uri(key.uri, query: query)
                a.enumerated("IV", key.hexadecimalIV)
                a.string("KEYFORMAT", key.keyFormat)
            } else {
                // Clear segments after encrypted ones (§4.4.4.4).
                a.enumerated("METHOD", "NONE")
            }
            Self.line(&out, "#EXT-X-KEY:", a.text)
            current.key = key
        }
        if let programDateTime { Self.line(&out, "#EXT-X-PROGRAM-DATE-TIME:", ProgramDateTime.format(programDateTime)) }
        for range in dateRanges { Self.line(&out, "#EXT-X-DATERANGE:", range.attributes) }
        for part in parts {
            var a = AttributeWriter()
            a.seconds("DURATION", part.duration)
            a.uri(part.uri, query: query)
            a.yes("INDEPENDENT", part.independent)
            a.string("BYTERANGE", part.byteRange?.rendered)
            a.yes("GAP", part.gap)
            Self.line(&out, "#EXT-X-PART:", a.text)
        }
    }

    /// Appends a line made of its pieces and a line feed, without building the line first.
    private static func line(_ out: inout String, _ a: String, _ b: String = "", _ c: String = "") {
        out += a
        out += b
        out += c
        out += "\n"
    }
}
