import MediaCore

extension MediaPlaylist {
    /// The playlist text, LF line ends, ending with a newline.
    ///
    /// Order: header tags (`EXTM3U`, `VERSION`, `TARGETDURATION`, `MEDIA-SEQUENCE`,
    /// `DISCONTINUITY-SEQUENCE`, `PLAYLIST-TYPE`, `INDEPENDENT-SEGMENTS`, `SERVER-CONTROL`,
    /// `PART-INF`), `EXT-X-SKIP`, then per segment `DISCONTINUITY`, `MAP` (when it changes),
    /// `PROGRAM-DATE-TIME`, its `PART`s, `GAP`, `EXTINF`, `BYTERANGE` and URI; then the in-progress
    /// segment's tags and parts, `PRELOAD-HINT`, `RENDITION-REPORT`s and `ENDLIST`.
    ///
    /// Every duration is written in seconds with five decimals, rounded half up from its ticks.
    /// Nothing is validated here: the model is rendered as given.
    public func render() -> String {
        var out = "#EXTM3U\n"
        out += "#EXT-X-VERSION:\(version)\n"
        out += "#EXT-X-TARGETDURATION:\(targetDuration)\n"
        out += "#EXT-X-MEDIA-SEQUENCE:\(mediaSequence)\n"
        if discontinuitySequence != 0 { out += "#EXT-X-DISCONTINUITY-SEQUENCE:\(discontinuitySequence)\n" }
        if let playlistType { out += "#EXT-X-PLAYLIST-TYPE:\(playlistType.rawValue)\n" }
        if independentSegments { out += "#EXT-X-INDEPENDENT-SEGMENTS\n" }
        if let serverControl {
            var a = AttributeWriter()
            a.yes("CAN-BLOCK-RELOAD", serverControl.canBlockReload)
            a.seconds("CAN-SKIP-UNTIL", serverControl.canSkipUntil)
            a.yes("CAN-SKIP-DATERANGES", serverControl.canSkipDateRanges)
            a.seconds("HOLD-BACK", serverControl.holdBack)
            a.seconds("PART-HOLD-BACK", serverControl.partHoldBack)
            out += "#EXT-X-SERVER-CONTROL:\(a.text)\n"
        }
        if let partTarget { out += "#EXT-X-PART-INF:PART-TARGET=\(DecimalSeconds.format(partTarget))\n" }
        if skippedSegments != 0 { out += "#EXT-X-SKIP:SKIPPED-SEGMENTS=\(skippedSegments)\n" }

        var currentMap: Map?
        for segment in segments {
            Self.renderHeader(
                discontinuity: segment.discontinuity, map: segment.map, programDateTime: segment.programDateTime,
                parts: segment.parts, currentMap: &currentMap, into: &out)
            if segment.gap { out += "#EXT-X-GAP\n" }
            out += "#EXTINF:\(DecimalSeconds.format(segment.duration)),\n"
            if let byteRange = segment.byteRange { out += "#EXT-X-BYTERANGE:\(byteRange.rendered)\n" }
            out += segment.uri + "\n"
        }
        if let open = inProgressSegment {
            Self.renderHeader(
                discontinuity: open.discontinuity, map: open.map, programDateTime: open.programDateTime,
                parts: open.parts, currentMap: &currentMap, into: &out)
        }
        if let preloadHint {
            var a = AttributeWriter()
            a.enumerated("TYPE", preloadHint.type.rawValue)
            a.string("URI", preloadHint.uri)
            a.integer("BYTERANGE-START", preloadHint.byteRangeStart)
            a.integer("BYTERANGE-LENGTH", preloadHint.byteRangeLength)
            out += "#EXT-X-PRELOAD-HINT:\(a.text)\n"
        }
        for report in renditionReports {
            var a = AttributeWriter()
            a.string("URI", report.uri)
            a.integer("LAST-MSN", report.lastMSN)
            a.integer("LAST-PART", report.lastPart)
            out += "#EXT-X-RENDITION-REPORT:\(a.text)\n"
        }
        if endList { out += "#EXT-X-ENDLIST\n" }
        return out
    }

    private static func renderHeader(
        discontinuity: Bool, map: Map?, programDateTime: Int64?, parts: [Part],
        currentMap: inout Map?, into out: inout String
    ) {
        if discontinuity { out += "#EXT-X-DISCONTINUITY\n" }
        if let map, map != currentMap {
            var a = AttributeWriter()
            a.string("URI", map.uri)
            a.string("BYTERANGE", map.byteRange?.rendered)
            out += "#EXT-X-MAP:\(a.text)\n"
            currentMap = map
        }
        if let programDateTime { out += "#EXT-X-PROGRAM-DATE-TIME:\(ProgramDateTime.format(programDateTime))\n" }
        for part in parts {
            var a = AttributeWriter()
            a.seconds("DURATION", part.duration)
            a.string("URI", part.uri)
            a.yes("INDEPENDENT", part.independent)
            a.string("BYTERANGE", part.byteRange?.rendered)
            a.yes("GAP", part.gap)
            out += "#EXT-X-PART:\(a.text)\n"
        }
    }
}
