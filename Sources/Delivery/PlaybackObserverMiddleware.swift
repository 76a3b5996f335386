import HTTPTypes
import Hummingbird

/// Tells a ``PlaybackObserver`` of every response of the playback routes it wraps.
struct PlaybackObserverMiddleware<Context: RequestContext>: RouterMiddleware {
    let observer: any PlaybackObserver

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let kind = PlaybackRouteKind(path: Substring(request.uri.path))
        do {
            let response = try await next(request, context)
            observer.responded(PlaybackEvent(
                method: request.method, kind: kind, status: response.status, bytes: response.body.contentLength,
                duration: ContinuousClock.now - start))
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            observer.responded(PlaybackEvent(method: request.method, kind: kind, status: status, bytes: nil, duration: ContinuousClock.now - start))
            throw error
        }
    }
}
