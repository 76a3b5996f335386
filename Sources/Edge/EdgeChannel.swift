import Delivery
import MediaCore
import NIOConcurrencyHelpers
import NIOCore
import Packager

/// A channel pulled from an origin: its renditions' live windows, filled by one pull each
/// (``RenditionPull``), served by the same playback path as a packager's.
public final class EdgeChannel: LiveChannelWindow {
    public let name: String
    public let configuration: PackagerConfiguration
    public let audioOnlyVariant: Bool
    /// In the origin's order: video variants, then audio.
    let renditions: [LiveRendition]
    let upstream: ChannelUpstream
    private let state = NIOLockedValueBox(State())

    private struct State {
        var lastAsked = NIODeadline.now()
        var p2p = false
        var thumbnail: (at: NIODeadline, jpeg: ByteBuffer)?
    }

    init(name: String, configuration: PackagerConfiguration, audioOnlyVariant: Bool, renditions: [LiveRendition], upstream: ChannelUpstream) {
        self.name = name
        self.configuration = configuration
        self.audioOnlyVariant = audioOnlyVariant
        self.renditions = renditions
        self.upstream = upstream
    }

    /// The origin is live on at least one rendition.
    public var isLive: Bool { renditions.contains { $0.snapshot()?.isLive ?? false } }

    public var listedRenditions: [any LiveRenditionWindow] { renditions }

    public func listedRendition(named name: String) -> (any LiveRenditionWindow)? {
        renditions.first { $0.name == name }
    }

    /// The origin's markers, as its playlists list them (``EdgeMarkers``): rendered by delivery
    /// as the origin renders its own.
    public var markers: [LiveMarker] { upstream.markers.markers }

    /// Whether its viewers need a token: the origin asked the edge for one.
    var visibility: ChannelVisibility { upstream.needsToken ? .token : .public }

    /// Whether the edge's tracker takes this channel's viewers: as the origin said when last asked
    /// (``refreshP2P(limits:)``). The origin's setting rules: P2P shows viewers' addresses to each
    /// other, and only the channel's owner may turn it on.
    var p2p: Bool { state.withLockedValue { $0.p2p } }

    /// Asks the origin whether the channel has P2P on.
    func refreshP2P(limits: EdgeLimits) async {
        guard let first = renditions.first else { return }
        let on = await upstream.p2p(rendition: first.name, timeout: Self.p2pProbeTimeout, limit: limits.playlistBytes)
        state.withLockedValue { $0.p2p = on }
    }

    /// How long the origin has to answer whether P2P is on: a small JSON it serves from memory.
    static let p2pProbeTimeout: Duration = .seconds(2)

    /// Every rendition holds `count` complete segments: a player can start.
    func holds(segments count: Int) -> Bool {
        renditions.allSatisfy { ($0.snapshot()?.segments.filter(\.isComplete).count ?? 0) >= count }
    }

    /// A viewer asked for the channel now.
    func touch() { state.withLockedValue { $0.lastAsked = .now() } }

    var lastAsked: NIODeadline { state.withLockedValue { $0.lastAsked } }

    /// The origin's thumbnail, kept for `maxAge`: one origin request per `maxAge` however many
    /// viewers ask; those who ask while it is fetched get the one kept before (none the first time).
    func thumbnail(maxAge: TimeAmount, limit: Int) async -> ByteBuffer? {
        enum Step { case serve(ByteBuffer?), fetch }
        let step: Step = state.withLockedValue { state in
            let kept = state.thumbnail
            if let kept, kept.at + maxAge > .now() { return .serve(kept.jpeg.readableBytes > 0 ? kept.jpeg : nil) }
            state.thumbnail = (.now(), kept?.jpeg ?? ByteBuffer())
            return .fetch
        }
        guard case .fetch = step else {
            if case .serve(let jpeg) = step { return jpeg }
            return nil
        }
        do {
            let answer = try await upstream.get("thumbnail.jpg", from: upstream.pool.index, timeout: .seconds(5), limit: limit)
            guard answer.isOK else { return nil }
            state.withLockedValue { $0.thumbnail = (.now(), answer.body) }
            return answer.body
        } catch {
            return nil
        }
    }
}
