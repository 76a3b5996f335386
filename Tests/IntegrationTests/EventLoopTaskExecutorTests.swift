import NIOCore
import NIOPosix
import Testing
@testable import AntenneServer

@Suite struct EventLoopTaskExecutorTests {
    /// Tasks that prefer the executor run on the group's event loops, child tasks included, and a
    /// task resumed from an event loop continues on that loop.
    @Test func tasksRunOnTheEventLoops() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let executor = EventLoopTaskExecutor(group: group)
        let loops = Set(group.makeIterator().map { ObjectIdentifier($0) })
        func current() -> ObjectIdentifier? { MultiThreadedEventLoopGroup.currentEventLoop.map { ObjectIdentifier($0) } }

        try await withTaskExecutorPreference(executor) {
            #expect(current().map(loops.contains) == true)
            let children = await withTaskGroup(of: ObjectIdentifier?.self) { tasks in
                for _ in 0..<4 { tasks.addTask { current() } }
                return await tasks.reduce(into: []) { $0.append($1) }
            }
            #expect(children.count == 4)
            #expect(children.allSatisfy { $0.map(loops.contains) == true })

            for loop in group.makeIterator() {
                // Resumed later, once the task has suspended.
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    loop.scheduleTask(in: .milliseconds(10)) { continuation.resume() }
                }
                #expect(current() == ObjectIdentifier(loop))
            }
            // Resumed from elsewhere (a timer), the task still runs on one of the loops.
            try await Task.sleep(for: .milliseconds(1))
            #expect(current().map(loops.contains) == true)
        }
        try await group.shutdownGracefully()
    }
}
