extension Validate {
    /// A slate to store: a card has no path; an image or a video has one, inside the media
    /// directory (``MediaLibrary``) unless the configuration gives it (an absolute path the
    /// operator chose); a timeout of ``ControlLimits/slateTimeoutSeconds``.
    static func slate(_ slate: ChannelSlate, configured: Bool = false) throws(ControlError) -> ChannelSlate {
        switch slate.source {
        case .card:
            guard slate.path == nil else { throw .invalid(field: "slate.path", reason: "a card has no path") }
        case .image, .video:
            guard let path = slate.path else { throw .invalid(field: "slate.path", reason: "required for an image or a video") }
            if !configured { try MediaLibrary.checkRelative(path, field: "slate.path") }
        }
        if let timeout = slate.timeoutSeconds, !ControlLimits.slateTimeoutSeconds.contains(timeout) {
            throw .invalid(field: "slate.timeoutSeconds", reason: "must be \(ControlLimits.slateTimeoutSeconds) seconds")
        }
        return slate
    }
}
