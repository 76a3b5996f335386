import NIOCore
import NIOPosix

/// Runs tasks on the NIO event loops: a job is enqueued on the event loop of the thread that
/// enqueues it (the one that resumed the task), or on the next loop of the group from any other
/// thread.
///
/// The server runs its services with this executor as their task executor preference, so a task
/// resumed from an event loop continues on that loop: a hub event sent by an RTMP connection
/// reaches its channel's packager, and an HTTP request reaches its handler and its response goes
/// back to the socket, without waking another thread. On a small machine those thread hand-offs
/// cost more CPU than the work they carry (bench/README.md). Jobs run with this executor as their
/// task executor, so calls between nonisolated async functions stay on the loop instead of hopping
/// through the global executor. Nothing in the server blocks a thread inside a task, which this
/// requires: a blocked task would stall the event loop it runs on.
final class EventLoopTaskExecutor: TaskExecutor {
    private let group: MultiThreadedEventLoopGroup

    init(group: MultiThreadedEventLoopGroup) {
        self.group = group
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? group.next()
        loop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
