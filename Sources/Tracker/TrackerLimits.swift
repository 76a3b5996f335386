/// Every bound the tracker puts on what peers send it, with where each number comes from.
public enum TrackerLimits {
    /// Peers in one swarm. A WebTorrent tracker hands out at most 50 peers per announce (the
    /// `numwant` default), and a player keeps a handful of connections: 100 members give every
    /// newcomer enough sources while one swarm's announce fan-out stays cheap. A swarm that is
    /// full refuses newcomers, which then play over HTTP only.
    public static let maximumSwarmSize = 100
    /// Peers listed to a newcomer: it connects to a few of them (the player's
    /// `MAX_CONNECTIONS`), and a longer list only makes the welcome longer.
    public static let maximumPeersListed = 20
    /// One signalling message, as text. A data-channel-only SDP offer is about 500 bytes and an
    /// ICE candidate line under 200; an announce of ``maximumAnnouncedObjects`` names of 24
    /// characters is under 2 KiB. 8 KiB leaves room and keeps a flood cheap to refuse.
    public static let maximumMessageBytes = 8 * 1024
    /// Objects one announce may list: a 60 s window of 2 s segments is 30 segments per track,
    /// two tracks (video and audio).
    public static let maximumAnnouncedObjects = 64
    /// Longest object name: `{rendition}/{msn}.{part}.m4s` with a 64-character rendition name
    /// (the channel and rendition names Antenne accepts) and two 10-digit numbers.
    public static let maximumObjectNameBytes = 96
    /// Longest opaque string inside a signal (an SDP, a candidate line): the message bound.
    public static let maximumSignalStringBytes = maximumMessageBytes
    /// Messages a peer may send per second, sustained: an announce per object (two tracks, one
    /// part every 0.5 s is 4/s) and the ICE trickle of a few new connections.
    public static let messagesPerSecond = 20.0
    /// Messages a peer may send at once: a newcomer's offers and candidates to
    /// ``maximumPeersListed`` peers (about five messages each).
    public static let messageBurst = 100.0
    /// Outbound messages queued for one peer before the oldest are dropped (a peer that does not
    /// read never slows the tracker): a burst from a full swarm of announces.
    public static let maximumQueuedEvents = 2 * maximumSwarmSize
    /// Distinct peers that must report a peer for bad data before the tracker drops it: one
    /// report could be a lie from a peer that wants another gone; each reporter has banned the
    /// peer on its own side already.
    public static let reportsToBan = 2
    /// How long the address of a peer closed for bad data stays out of the channel's swarms. Ten
    /// minutes makes a cheater's reconnection cost more than it gains (it also needs two victims
    /// to report it again) and is short for the others behind the same address (a NAT, an office),
    /// who lose only P2P meanwhile: they play over HTTP.
    public static let addressBanDuration: Duration = .seconds(600)
    /// Bans held at once. An entry is an address and a channel name, under 200 bytes: 4096 are
    /// under 1 MiB, more than a tracker of full swarms bans in ten minutes (each ban takes two
    /// reporting peers); past it, the ban that would end first makes room.
    public static let maximumAddressBans = 4096
}
