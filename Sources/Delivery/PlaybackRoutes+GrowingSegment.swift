import Packager

/// `hls/{channel}/{rendition}/{msn}.m4s` for LL-HLS and low-latency DASH alike: a complete
/// segment at once; the segment being written at once too, sent as it grows (``GrowingSegment``);
/// the next one, not yet begun, once its first part exists, held like a blocking request
/// (RFC 8216bis §6.2.5.3, at most three target durations); anything else is a 404.
extension PlaybackRoutes {
    func segment(_ msn: Int, in rendition: any LiveRenditionWindow, packager: any LiveChannelWindow, request: PlaybackRequest) -> PlaybackAnswer {
        if let data = rendition.segment(msn: msn) { return .now(.fragment(data)) }
        guard packager.isLive, let snapshot = rendition.snapshot(), let newest = snapshot.segments.last else { return .now(.notFound()) }
        guard msn > newest.msn - (newest.isComplete ? 0 : 1), msn <= newest.msn + 1 else { return .now(.notFound()) }
        let growing = GrowingSegment(rendition: rendition, msn: msn, timeout: blockingTimeout(snapshot, packager.configuration), loop: request.loop)
        if rendition.part(msn: msn, index: 0) != nil { return .now(.growing(growing)) }
        return .later {
            guard await rendition.wait(for: .part(msn: msn, index: 0), timeout: growing.timeout, on: request.loop) else { return .notFound() }
            if let data = rendition.segment(msn: msn) { return .fragment(data) }
            // A later segment began instead (this one is a gap): nothing to send.
            guard rendition.part(msn: msn, index: 0) != nil else { return .notFound() }
            return .growing(growing)
        }
    }
}
