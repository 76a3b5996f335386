import MediaCore

/// What flows through a channel's track set, in arrival order.
public enum HubEvent: Sendable {
    /// A publish session starts or its codec configuration changes. Sample track indices refer to
    /// positions in this array. Readers treat it as a discontinuity.
    case tracks([TrackInfo])
    /// One access unit of track `track`.
    case sample(track: Int, Sample)
    /// The publisher went away (cleanly or not).
    case end
}
