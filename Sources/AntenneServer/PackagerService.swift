import Packager
import ServiceLifecycle
import Transcoder

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

/// Runs every channel's transcoder until shutdown; each stops its FFmpeg before returning.
struct TranscoderService: Service {
    let transcoders: [ChannelTranscoder]

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for transcoder in transcoders {
                group.addTask { await transcoder.run() }
            }
            group.addTask {
                try? await gracefulShutdown()
            }
            await group.next()
            group.cancelAll()
        }
    }
}
