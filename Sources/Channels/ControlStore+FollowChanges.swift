import Control
import Logging
import ServiceLifecycle

extension ControlStore {
    /// Runs `pass` until graceful shutdown: at once after a change made through this server
    /// (``rightsChanged``), and every `interval` for one made elsewhere. A pass that fails (the
    /// database is away) is logged as `"\(what) failed"`; what runs keeps running, and the next
    /// pass tries again.
    func followChanges(every interval: Duration, logger: Logger, what: String, _ pass: @escaping @Sendable () async throws -> Void) async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let seen = self.rightsChanged.value
                do {
                    try await pass()
                } catch {
                    logger.warning("\(what) failed: \(error)")
                }
                await self.rightsChanged.wait(whileEqualTo: seen, timeout: interval)
            }
        }
    }
}
