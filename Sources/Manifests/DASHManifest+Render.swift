import MediaCore

extension DASHManifest {
    /// The MPD as XML (UTF-8, LF line ends, ending with a newline), in the element order of the
    /// MPD schema (ISO/IEC 23009-1 §5.3.1.3): the `Period`s then `UTCTiming`; in a Representation,
    /// `AudioChannelConfiguration` then `SegmentTemplate`.
    ///
    /// - Parameter query: parameters every `initialization` and `media` URL gets (a playback
    ///   token), as ``URIQuery`` says: a URL in an MPD resolves against the MPD's URL and its
    ///   query does not carry over (§5.6.4, RFC 3986 §5.2).
    public func render(query: URIQuery? = nil) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\""
        attribute("profiles", Self.liveProfile, &out)
        attribute("type", "dynamic", &out)
        attribute("availabilityStartTime", Self.dateTime(availabilityStartTime), &out)
        attribute("publishTime", Self.dateTime(publishTime), &out)
        attribute("minimumUpdatePeriod", Self.duration(minimumUpdatePeriod), &out)
        attribute("timeShiftBufferDepth", Self.duration(timeShiftBufferDepth), &out)
        attribute("suggestedPresentationDelay", Self.duration(suggestedPresentationDelay), &out)
        attribute("minBufferTime", Self.duration(minBufferTime), &out)
        out += ">\n"
        for period in periods {
            out += "  <Period"
            attribute("id", period.id, &out)
            attribute("start", Self.duration(MediaTime(ticks: period.start, timescale: 1_000)), &out)
            out += ">\n"
            for set in period.adaptationSets {
                out += "    <AdaptationSet"
                attribute("id", String(set.id), &out)
                attribute("contentType", set.contentType.rawValue, &out)
                attribute("mimeType", set.mimeType, &out)
                attribute("segmentAlignment", "true", &out)
                attribute("startWithSAP", "1", &out)
                out += ">\n"
                for representation in set.representations { render(representation, query: query, &out) }
                out += "    </AdaptationSet>\n"
            }
            out += "  </Period>\n"
        }
        if let utcTiming {
            out += "  <UTCTiming"
            attribute("schemeIdUri", Self.httpISOTiming, &out)
            attribute("value", utcTiming, &out)
            out += "/>\n"
        }
        out += "</MPD>\n"
        return out
    }

    private func render(_ representation: Representation, query: URIQuery?, _ out: inout String) {
        out += "      <Representation"
        attribute("id", representation.id, &out)
        attribute("codecs", representation.codecs, &out)
        attribute("bandwidth", String(representation.bandwidth), &out)
        if let width = representation.width { attribute("width", String(width), &out) }
        if let height = representation.height { attribute("height", String(height), &out) }
        if let rate = representation.frameRate { attribute("frameRate", Self.frameRate(rate), &out) }
        if let rate = representation.audioSamplingRate { attribute("audioSamplingRate", String(rate), &out) }
        out += ">\n"
        if let channels = representation.audioChannels {
            out += "        <AudioChannelConfiguration"
            attribute("schemeIdUri", "urn:mpeg:dash:23003:3:audio_channel_configuration:2011", &out)
            attribute("value", String(channels), &out)
            out += "/>\n"
        }
        let template = representation.segments
        out += "        <SegmentTemplate"
        attribute("timescale", String(template.timescale), &out)
        if template.presentationTimeOffset != 0 {
            attribute("presentationTimeOffset", String(template.presentationTimeOffset), &out)
        }
        attribute("startNumber", String(template.startNumber), &out)
        attribute("initialization", query.map { $0.applied(to: template.initialization) } ?? template.initialization, &out)
        attribute("media", query.map { $0.applied(to: template.media) } ?? template.media, &out)
        out += ">\n"
        out += "          <SegmentTimeline>\n"
        Self.timeline(template.timeline, &out)
        out += "          </SegmentTimeline>\n"
        out += "        </SegmentTemplate>\n"
        out += "      </Representation>\n"
    }

    /// `S` elements (§5.3.9.6): `t` on the first and wherever the timeline does not continue
    /// from the previous segment's end, `r` for each run of equal, contiguous durations.
    private static func timeline(_ segments: [TimelineSegment], _ out: inout String) {
        var index = 0
        var end: Int64?
        while index < segments.count {
            let first = segments[index]
            var repeats = 0
            while index + repeats + 1 < segments.count {
                let next = segments[index + repeats + 1]
                guard next.duration == first.duration, next.start == first.start + Int64(repeats + 1) * first.duration else { break }
                repeats += 1
            }
            out += "            <S"
            if end != first.start { out += " t=\"\(first.start)\"" }
            out += " d=\"\(first.duration)\""
            if repeats > 0 { out += " r=\"\(repeats)\"" }
            out += "/>\n"
            end = first.start + Int64(repeats + 1) * first.duration
            index += repeats + 1
        }
    }

    /// An xs:duration in seconds: `PT2.00000S` (the fixed decimals of ``DecimalSeconds``).
    static func duration(_ time: MediaTime) -> String {
        "PT" + DecimalSeconds.format(time) + "S"
    }

    /// `FrameRateType` (§5.3.12.2): `30`, or `30000/1001`.
    static func frameRate(_ rate: Rational) -> String {
        rate.denominator == 1 ? String(rate.numerator) : "\(rate.numerator)/\(rate.denominator)"
    }

    /// ` name="value"`, with the value escaped for an XML attribute (XML 1.0 §2.4, §3.3.3).
    private func attribute(_ name: String, _ value: String, _ out: inout String) {
        out += " \(name)=\""
        for character in value.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(character)
            }
        }
        out += "\""
    }
}
