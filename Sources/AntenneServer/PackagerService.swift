import Packager
import ServiceLifecycle

/// Runs every channel's packager until shutdown.
struct PackagerService: Service {
    let packagers: PackagerRegistry

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for packager in packagers.all {
                group.addTask { await packager.run() }
            }
            // Packagers run until cancelled: the group cancels them on graceful shutdown.
            group.addTask {
                try? await gracefulShutdown()
            }
            await group.next()
            group.cancelAll()
        }
    }
}
