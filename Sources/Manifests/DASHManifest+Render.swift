import MediaCore

extension DASHManifest {
    /// The MPD as XML (UTF-8, LF line ends, ending with a newline), in the element order of the
    /// MPD schema (ISO/IEC 23009-1 §5.3.1.3): `ServiceDescription`, the `Period`s, then
    /// `UTCTiming`; in a Representation, `AudioChannelConfiguration`, `ProducerReferenceTime`,
    /// then `SegmentTemplate` or `SegmentList`.
    ///
    /// - Parameter query: parameters every `initialization` and `media` URL gets (a playback
    ///   token), as ``URIQuery`` says: a URL in an MPD resolves against the MPD's URL and its
    ///   query does not carry over (§5.6.4, RFC 3986 §5.2).
    public func render(query: URIQuery? = nil) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\""
        if contentProtection != nil { out += ContentProtection.namespaces }
        attribute("profiles", usesLists ? Self.fullProfile : Self.liveProfile, &out)
        attribute("type", type.rawValue, &out)
        attribute("availabilityStartTime", Self.dateTime(availabilityStartTime), &out)
        attribute("publishTime", Self.dateTime(publishTime), &out)
        let dynamic = type == .dynamic
        if dynamic, let minimumUpdatePeriod { attribute("minimumUpdatePeriod", Self.duration(minimumUpdatePeriod), &out) }
        if dynamic, let timeShiftBufferDepth { attribute("timeShiftBufferDepth", Self.duration(timeShiftBufferDepth), &out) }
        if dynamic, let suggestedPresentationDelay {
            attribute("suggestedPresentationDelay", Self.duration(suggestedPresentationDelay), &out)
        }
        if !dynamic, let mediaPresentationDuration {
            attribute("mediaPresentationDuration", Self.duration(mediaPresentationDuration), &out)
        }
        attribute("minBufferTime", Self.duration(minBufferTime), &out)
        out += ">\n"
        if let service = serviceDescription { render(service, &out) }
        for period in periods {
            out += "  <Period"
            attribute("id", period.id, &out)
            attribute("start", Self.duration(MediaTime(ticks: period.start, timescale: 1_000)), &out)
            out += ">\n"
            for stream in period.eventStreams where !stream.events.isEmpty { stream.render(&out) }
            for set in period.adaptationSets {
                out += "    <AdaptationSet"
                attribute("id", String(set.id), &out)
                attribute("contentType", set.contentType.rawValue, &out)
                attribute("mimeType", set.mimeType, &out)
                if let language = set.language { attribute("lang", language, &out) }
                attribute("segmentAlignment", "true", &out)
                attribute("startWithSAP", "1", &out)
                out += ">\n"
                if let contentProtection {
                    let license = query.map { $0.applied(to: contentProtection.licenseURL) } ?? contentProtection.licenseURL
                    contentProtection.render(license: Self.escaped(license), &out)
                }
                for descriptor in set.accessibility {
                    out += "      <Accessibility"
                    attribute("schemeIdUri", descriptor.schemeIdUri, &out)
                    if let value = descriptor.value { attribute("value", value, &out) }
                    out += "/>\n"
                }
                // The schema's order (§5.3.3.2, AdaptationSetType): Accessibility, then Role.
                for descriptor in set.roles {
                    out += "      <Role"
                    attribute("schemeIdUri", descriptor.schemeIdUri, &out)
                    if let value = descriptor.value { attribute("value", value, &out) }
                    out += "/>\n"
                }
                for representation in set.representations { render(representation, in: period, query: query, &out) }
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

    /// Whether any Representation lists its segments (``Media/list(_:)``).
    private var usesLists: Bool {
        periods.contains { period in
            period.adaptationSets.contains { set in
                set.representations.contains { if case .list = $0.segments.media { true } else { false } }
            }
        }
    }

    /// `ServiceDescription` with `Latency` (measured against `ProducerReferenceTime` 0) and
    /// `PlaybackRate`.
    private func render(_ service: ServiceDescription, _ out: inout String) {
        out += "  <ServiceDescription id=\"0\">\n"
        out += "    <Latency"
        attribute("referenceId", "0", &out)
        attribute("target", String(service.targetLatency), &out)
        attribute("min", String(service.minimumLatency), &out)
        attribute("max", String(service.maximumLatency), &out)
        out += "/>\n"
        out += "    <PlaybackRate"
        attribute("min", Self.thousandths(service.playbackRates.lowerBound), &out)
        attribute("max", Self.thousandths(service.playbackRates.upperBound), &out)
        out += "/>\n"
        out += "  </ServiceDescription>\n"
    }

    private func render(_ representation: Representation, in period: Period, query: URIQuery?, _ out: inout String) {
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
        if serviceDescription != nil {
            // The media time at the Period's start is presented at its wall clock (the
            // packager's program date time): what `Latency` is measured against.
            out += "        <ProducerReferenceTime"
            attribute("id", "0", &out)
            attribute("type", "encoder", &out)
            attribute("wallClockTime", Self.dateTime(availabilityStartTime + period.start), &out)
            attribute("presentationTime", String(template.presentationTimeOffset), &out)
            out += "/>\n"
        }
        let applied = { (uri: String) in query.map { $0.applied(to: uri) } ?? uri }
        let element: String
        switch template.media {
        case .template: element = "SegmentTemplate"
        case .list: element = "SegmentList"
        }
        out += "        <\(element)"
        attribute("timescale", String(template.timescale), &out)
        if template.presentationTimeOffset != 0 {
            attribute("presentationTimeOffset", String(template.presentationTimeOffset), &out)
        }
        if let offset = template.availabilityTimeOffset {
            attribute("availabilityTimeOffset", DecimalSeconds.format(offset), &out)
            attribute("availabilityTimeComplete", "false", &out)
        }
        attribute("startNumber", String(template.startNumber), &out)
        if case .template(let media) = template.media {
            attribute("initialization", applied(template.initialization), &out)
            attribute("media", applied(media), &out)
        }
        out += ">\n"
        if case .list = template.media {
            out += "          <Initialization"
            attribute("sourceURL", applied(template.initialization), &out)
            out += "/>\n"
        }
        out += "          <SegmentTimeline>\n"
        Self.timeline(template.timeline, &out)
        out += "          </SegmentTimeline>\n"
        if case .list(let urls) = template.media {
            for url in urls {
                out += "          <SegmentURL"
                attribute("media", applied(url), &out)
                out += "/>\n"
            }
        }
        out += "        </\(element)>\n"
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

    /// An xs:double of thousandths: `0.96` for 960, `1` for 1000.
    static func thousandths(_ value: Int) -> String {
        let fraction = String(value % 1_000)
        let digits = (String(repeating: "0", count: 3 - fraction.count) + fraction).reversed().drop { $0 == "0" }.reversed()
        return String(value / 1_000) + (digits.isEmpty ? "" : "." + String(digits))
    }

    /// `FrameRateType` (§5.3.12.2): `30`, or `30000/1001`.
    static func frameRate(_ rate: Rational) -> String {
        rate.denominator == 1 ? String(rate.numerator) : "\(rate.numerator)/\(rate.denominator)"
    }

    /// ` name="value"`, with the value escaped for an XML attribute (XML 1.0 §2.4, §3.3.3).
    private func attribute(_ name: String, _ value: String, _ out: inout String) {
        out += " \(name)=\"\(Self.escaped(value))\""
    }

    /// `value` escaped for an XML attribute or element text (XML 1.0 §2.4, §3.3.3).
    static func escaped(_ value: String) -> String {
        var out = ""
        for character in value.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
