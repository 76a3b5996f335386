import MediaCore

extension MultivariantPlaylist {
    /// The playlist text, LF line ends, ending with a newline: `EXTM3U`, `VERSION`,
    /// `INDEPENDENT-SEGMENTS`, every `EXT-X-MEDIA`, then every `EXT-X-STREAM-INF` with its URI.
    /// `DEFAULT` and `AUTOSELECT` are always written (`YES`/`NO`), as Apple's examples do.
    ///
    /// - Parameter query: parameters every URI gets (renditions' and variants'), as ``URIQuery``
    ///   says; nil renders each URI as it is.
    public func render(query: URIQuery? = nil) -> String {
        var out = "#EXTM3U\n"
        out += "#EXT-X-VERSION:\(version)\n"
        if independentSegments { out += "#EXT-X-INDEPENDENT-SEGMENTS\n" }
        for rendition in renditions {
            var a = AttributeWriter()
            a.enumerated("TYPE", rendition.type.rawValue)
            a.string("GROUP-ID", rendition.groupID)
            a.string("NAME", rendition.name)
            a.string("LANGUAGE", rendition.language)
            a.string("INSTREAM-ID", rendition.instreamID)
            a.yesNo("DEFAULT", rendition.isDefault)
            a.yesNo("AUTOSELECT", rendition.autoselect)
            a.string("CHANNELS", rendition.channels)
            a.uri(rendition.uri, query: query)
            out += "#EXT-X-MEDIA:\(a.text)\n"
        }
        for variant in variants {
            var a = AttributeWriter()
            a.integer("BANDWIDTH", variant.bandwidth)
            a.integer("AVERAGE-BANDWIDTH", variant.averageBandwidth)
            if !variant.codecs.isEmpty { a.string("CODECS", variant.codecs.joined(separator: ",")) }
            a.enumerated("RESOLUTION", variant.resolution.map { "\($0.width)x\($0.height)" })
            a.enumerated("FRAME-RATE", variant.frameRate?.decimalString)
            a.string("AUDIO", variant.audioGroup)
            switch variant.closedCaptions {
            case .group(let id): a.string("CLOSED-CAPTIONS", id)
            case .notCarried: a.enumerated("CLOSED-CAPTIONS", "NONE")
            case nil: break
            }
            out += "#EXT-X-STREAM-INF:\(a.text)\n"
            query.append(variant.uri, to: &out)
            out += "\n"
        }
        return out
    }
}
