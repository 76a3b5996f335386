/// The `detail` object of a webhook payload: what happened, beyond the event's type. `stream.*`
/// events have none.
public enum EventDetail: Encodable, Sendable, Hashable {
    case channelHealth(ChannelHealthDetail)
    case transcoderFailure(TranscoderFailureDetail)
    case archive(ArchiveHealthDetail)
    case marker(MarkerDetail)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .channelHealth(let detail): try detail.encode(to: encoder)
        case .transcoderFailure(let detail): try detail.encode(to: encoder)
        case .archive(let detail): try detail.encode(to: encoder)
        case .marker(let detail): try detail.encode(to: encoder)
        }
    }
}
