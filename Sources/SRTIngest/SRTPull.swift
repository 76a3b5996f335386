/// A channel's primary input pulled from an encoder that listens (SRT caller mode): the listener's
/// thread calls it, and once connected publishes it through the ``Ingest/PublishGateway`` with the
/// channel's own stream key, as any SRT caller would, into the same ``MPEGTSPublishSession``.
public struct SRTPull: Sendable, Hashable {
    /// The channel it feeds (public, for logs).
    public var channel: String
    /// The channel's primary stream key, presented to the gateway. Secret: never logged.
    public var streamKey: String
    public var source: SRTPullURL

    public init(channel: String, streamKey: String, source: SRTPullURL) {
        self.channel = channel
        self.streamKey = streamKey
        self.source = source
    }
}
