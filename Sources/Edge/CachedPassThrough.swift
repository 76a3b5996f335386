import Delivery
import NIOConcurrencyHelpers

/// The pass-through with a ``PassThroughCache`` in front: a GET the cache holds is answered from
/// disk; misses for the same URL that arrive together share one origin request, whose answer is
/// then kept if it may be. Other methods go straight through.
struct CachedPassThrough: PlaybackUpstream {
    let origin: any PlaybackUpstream
    let cache: PassThroughCache
    private let inFlight = NIOLockedValueBox([String: Task<PlaybackUpstreamResponse, Never>]())

    init(origin: any PlaybackUpstream, cache: PassThroughCache) {
        self.origin = origin
        self.cache = cache
    }

    func forward(_ request: PlaybackRequest) async -> PlaybackUpstreamResponse {
        guard request.method == .get else { return await origin.forward(request) }
        let key = String(request.path) + (OriginPassThrough.query(request).map { "?" + $0 } ?? "")
        if let kept = await cache.answer(for: key) { return kept }
        let task = inFlight.withLockedValue { running in
            if let task = running[key] { return task }
            let task = Task { [origin, cache, inFlight] in
                let response = await origin.forward(request)
                await cache.keep(response, for: key)
                inFlight.withLockedValue { $0[key] = nil }
                return response
            }
            running[key] = task
            return task
        }
        return await task.value
    }
}
