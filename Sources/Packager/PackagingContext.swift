import Hub

/// The serial context of one channel's packaging: it owns the channel's ``ChannelSessions`` and
/// carries out their actions, one batch of hub events at a time, in the order the two feeds'
/// readers hand them over. Being an actor is what keeps it serial: no lock is held while it works,
/// so nothing it calls (the archive's callback included) runs under one.
///
/// A reader waits for its batch to be packaged before it takes the next: a packager that falls
/// behind lets the hub's bounded queue fill, and the hub cuts it off, as for any slow reader.
actor PackagingContext {
    private var sessions: ChannelSessions

    init(_ sessions: ChannelSessions) {
        self.sessions = sessions
    }

    func resume(after msn: Int) {
        sessions.resume(after: msn)
    }

    func handle(_ events: [HubEvent], from feed: Feed, for packager: ChannelPackager) {
        // Markers first: a splice point must be known before the leader's samples pass it.
        let markers = packager.takeMarkers()
        if !markers.isEmpty { sessions.mark(markers) }
        let actions = sessions.handle(events, from: feed, now: packager.wallClock, sourceIsLive: packager.isLive)
        packager.carryOut(actions, statistics: sessions.statistics)
    }

    func readerEnded(_ feed: Feed, resubscribing: Bool, for packager: ChannelPackager) {
        let actions = sessions.readerEnded(feed, resubscribing: resubscribing, now: packager.wallClock, sourceIsLive: packager.isLive)
        packager.carryOut(actions, statistics: sessions.statistics)
    }
}
