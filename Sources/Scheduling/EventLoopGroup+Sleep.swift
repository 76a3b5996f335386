import NIOCore

extension EventLoopGroup {
    /// Suspends for `duration` on a timer of the caller's event loop (of this group), or throws
    /// `CancellationError` when the task is cancelled first.
    ///
    /// Periodic services sleep with this rather than `Task.sleep`: the global
    /// executor's timers wake a dispatch thread, which then hands the task back to an event loop,
    /// while an event-loop timer wakes only the loop that resumes the task.
    public func sleep(for duration: Duration) async throws {
        let timer = self.any().scheduleTask(in: TimeAmount(duration)) {}
        try await withTaskCancellationHandler {
            do {
                try await timer.futureResult.get()
            } catch {
                throw CancellationError()
            }
        } onCancel: {
            timer.cancel()
        }
    }
}
