import CSRT

/// What the listen callback decides for a caller, before libsrt accepts it: pure, so that it is
/// tested without sockets. Only what can be answered at once from memory is decided here (the
/// stream id, the connection cap, the channel's SRT options); the stream key itself is checked by
/// the ``Ingest/PublishGateway`` right after the connection is accepted, because the control plane
/// answers asynchronously and the callback runs on libsrt's receive thread, which every SRT
/// connection of the port shares.
enum SRTAdmission {
    enum Decision: Sendable, Hashable {
        case accept(streamKey: String, options: SRTChannelOptions)
        case refuse(Refusal)
    }

    enum Refusal: Sendable, Hashable, CustomStringConvertible {
        case streamID(SRTStreamID.Refusal)
        /// ``SRTIngestConfiguration/maximumConnections`` are open.
        case overloaded(open: Int)
        /// The server is stopping: encoders should go to another one.
        case stopping

        var description: String {
            switch self {
            case .streamID(let refusal): "\(refusal)"
            case .overloaded(let open): "\(open) SRT connections open, the most this server takes"
            case .stopping: "the server is stopping"
            }
        }

        /// The rejection code the caller sees (SRT Access Control guidelines, `SRT_REJX_*`).
        var rejectReason: Int32 {
            switch self {
            case .streamID(.notPublish): SRT_REJX_BAD_MODE
            case .streamID: SRT_REJX_BAD_REQUEST
            case .overloaded: SRT_REJX_OVERLOAD
            case .stopping: SRT_REJX_DOWN
            }
        }
    }

    /// - Parameters:
    ///   - streamID: the caller's stream id bytes (nil when it sent none), at most one byte past
    ///     ``SRTStreamID/maximumLength`` (enough to tell it is too long).
    ///   - open: connections accepted and not yet closed.
    static func decide(
        streamID: UnsafeRawBufferPointer?, open: Int, stopping: Bool, configuration: SRTIngestConfiguration
    ) -> Decision {
        if stopping { return .refuse(.stopping) }
        guard open < configuration.maximumConnections else { return .refuse(.overloaded(open: open)) }
        let parsed: SRTStreamID
        do {
            parsed = try SRTStreamID(parsing: streamID ?? UnsafeRawBufferPointer(start: nil, count: 0))
        } catch {
            return .refuse(.streamID(error))
        }
        var options = configuration.channelOptions(parsed.streamKey) ?? SRTChannelOptions()
        options.latencyMilliseconds = options.latencyMilliseconds ?? configuration.latencyMilliseconds
        return .accept(streamKey: parsed.streamKey, options: options)
    }
}
