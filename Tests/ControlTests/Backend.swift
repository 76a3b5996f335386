import Control
import Foundation
import Logging
import Testing
import TestSupport

let testLogger: Logger = {
    var logger = Logger(label: "test.control")
    logger.logLevel = .warning
    return logger
}()

/// Runs `body` with a fresh database location of `backend`, then removes it. `body` opens and
/// closes stores itself.
func withLocation<T: Sendable>(
    _ backend: Backend, _ body: (DatabaseLocation) async throws -> T
) async throws -> T {
    let (location, remove) = try await backend.makeLocation()
    do {
        let result = try await body(location)
        await remove()
        return result
    } catch {
        await remove()
        throw error
    }
}

/// Opens a store on a fresh database of `backend`, runs `body`, then closes and removes it.
func withStore<T: Sendable>(
    _ backend: Backend, _ body: (ControlStore) async throws -> T
) async throws -> T {
    let (location, remove) = try await backend.makeLocation()
    let store = try await ControlStore.open(database: location, logger: testLogger)
    do {
        let result = try await body(store)
        await store.shutdown()
        await remove()
        return result
    } catch {
        await store.shutdown()
        await remove()
        throw error
    }
}

/// Runs `body` and returns the ControlError it throws; records an issue if it throws nothing or
/// something else.
func controlError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> ControlError? {
    do {
        try await body()
        Issue.record("expected a ControlError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as ControlError {
        return error
    } catch {
        Issue.record("expected a ControlError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Two organisations with an admin scope each, the usual fixture of isolation tests.
struct TwoOrganisations {
    let a: Organisation
    let b: Organisation
    var scopeA: Scope { .organisation(a.id, .admin) }
    var scopeB: Scope { .organisation(b.id, .admin) }

    static func make(in store: ControlStore) async throws -> TwoOrganisations {
        TwoOrganisations(
            a: try await store.createOrganisation(name: "Org A", scope: .serverAdmin),
            b: try await store.createOrganisation(name: "Org B", scope: .serverAdmin)
        )
    }
}
