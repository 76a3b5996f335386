extension Validate {
    /// The URL schemes a destination may use: RTMP and RTMPS (Adobe RTMP specification; YouTube,
    /// Twitch, nginx-rtmp, another Antenne) and SRT (Haivision's SRT, an Antenne listener).
    static let destinationSchemes = ["rtmp://", "rtmps://", "srt://"]

    /// A destination to store: its URL `rtmp://`, `rtmps://` or `srt://` with a host, no spaces or
    /// control characters; a key of printable ASCII that cannot change the URL around it; a
    /// rendition named like a ladder rung. (The restreamer checks the rest when it pushes and
    /// reports what it refuses as the destination's last error.)
    static func destination(_ destination: NewChannelDestination) throws(ControlError) -> NewChannelDestination {
        let url = destination.url
        guard ControlLimits.urlLength.contains(url.utf8.count) else {
            throw .invalid(field: "url", reason: "must be \(ControlLimits.urlLength.lowerBound)...\(ControlLimits.urlLength.upperBound) bytes")
        }
        guard let scheme = destinationSchemes.first(where: { url.lowercased().hasPrefix($0) }),
            let host = url.dropFirst(scheme.count).split(whereSeparator: { "/?:".contains($0) }).first, !host.isEmpty,
            !url.hasPrefix(scheme + "/")
        else {
            throw .invalid(field: "url", reason: "must be an rtmp://, rtmps:// or srt:// URL with a host")
        }
        guard url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw .invalid(field: "url", reason: "must be printable ASCII without spaces (percent-encode the rest)")
        }
        if let key = destination.streamKey?.value {
            guard ControlLimits.destinationKeyLength.contains(key.utf8.count) else {
                throw .invalid(field: "streamKey", reason: "must be \(ControlLimits.destinationKeyLength) bytes")
            }
            guard key.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"/?#&{}".unicodeScalars.contains($0) }) else {
                throw .invalid(field: "streamKey", reason: "must be printable ASCII without spaces, '/', '?', '#', '&' or braces")
            }
        } else if url.contains("{key}") {
            throw .invalid(field: "streamKey", reason: "is required by the {key} in the URL")
        }
        var value = destination
        value.rendition = try value.rendition.map { rendition throws(ControlError) in try Validate.rendition(rendition) }
        return value
    }
}
