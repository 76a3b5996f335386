import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix

/// The control plane's storage: organisations, API tokens, channels, stream keys, events,
/// recordings, clips, webhooks and the webhook outbox, in SQLite or PostgreSQL through the same
/// code.
///
/// Conventions of the API:
/// - Every operation on an organisation's resources takes the caller's ``Scope``. A resource of
///   another organisation reads as absent: getters return `nil`, changes throw
///   `ControlError.notFound`. A read-only scope that tries to change something gets
///   `ControlError.forbidden`.
/// - Getters return `nil` for not found; updates, deletes and revocations throw `.notFound`.
/// - Lists are paged (``Page``) in `(createdAt, id)` order.
/// - Lookups on the media path (``channel(named:)``, ``channel(forStreamKey:)``,
///   ``authenticate(secret:now:)``), the outbox calls used by the webhook sender, and the session
///   recording, retention and clip job calls take no scope: they are the server's own.
/// - Every error is a ``ControlError``.
///
/// Open it once at start-up with ``open(database:eventLoopGroup:logger:)`` (which runs the
/// migrations), share it freely (it is `Sendable`), and call ``shutdown()`` at the end.
public final class ControlStore: Sendable {
    /// Where the data lives.
    public let location: DatabaseLocation
    let databases: Databases
    let database: any Database
    let logger: Logger
    /// Counts the clips this store has been asked for, so this server's clip job starts at once;
    /// clips asked of other servers are found by polling.
    public let clipsAsked = Counter()
    /// Counts the changes made through this store that withdraw a right or change what runs:
    /// keys revoked or rotated, channels changed or deleted, organisations deleted. The server
    /// applies them at once; changes made elsewhere (another origin, the operator CLI on the
    /// same database) are found by polling.
    public let rightsChanged = Counter()

    private init(location: DatabaseLocation, databases: Databases, database: any Database, logger: Logger) {
        self.location = location
        self.databases = databases
        self.database = database
        self.logger = logger
    }

    /// PostgreSQL connections kept per store. The control plane's queries are short; four let a
    /// burst of API calls and the webhook sender proceed side by side without hogging the
    /// server's connection slots (each origin opens its own store).
    static let postgresConnections = 4

    /// How long a query waits for a free connection before failing.
    static let connectionTimeout = TimeAmount.seconds(10)

    /// Connects, runs the migrations that have not run yet (idempotent: opening twice changes
    /// nothing), and returns the store.
    ///
    /// SQLite: the file and its directory are created if missing. All queries use one connection
    /// on one event loop, so writers never contend for the file.
    public static func open(
        database location: DatabaseLocation,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "antenne.control")
    ) async throws(ControlError) -> ControlStore {
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: eventLoopGroup)
        switch location {
        case .sqlite(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw .database("cannot create \(directory.path): \(error)")
            }
            databases.use(
                .sqlite(SQLiteConfiguration(storage: .file(path: path), enableForeignKeys: true), sqlLogLevel: nil),
                as: .sqlite
            )
        case .postgres(let url):
            let configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw .invalid(field: "database", reason: "not a PostgreSQL URL (\(location))")
            }
            databases.use(
                .postgres(
                    configuration: configuration,
                    maxConnectionsPerEventLoop: postgresConnections,
                    connectionPoolTimeout: connectionTimeout
                ),
                as: .psql
            )
        }

        // Fluent logs each query with its bound values at debug level; those values include
        // webhook secrets. The database handle gets its own logger that never goes below info.
        var databaseLogger = logger
        databaseLogger.logLevel = max(logger.logLevel, .info)
        guard let database = databases.database(logger: databaseLogger, on: eventLoopGroup.any()) else {
            throw .database("cannot open \(location)")
        }
        let store = ControlStore(location: location, databases: databases, database: database, logger: logger)
        do {
            try await store.migrate(logger: databaseLogger)
        } catch {
            await databases.shutdownAsync()
            throw error
        }
        logger.info("control database ready", metadata: ["database": "\(location)"])
        return store
    }

    private func migrate(logger: Logger) async throws(ControlError) {
        let migrations = Migrations()
        migrations.add(ControlMigrations.all)
        let database = self.database
        let migrator = Migrator(
            databaseFactory: { _ in database }, migrations: migrations,
            on: database.eventLoop, migrationLogLevel: .info
        )
        try await perform("migrate \(location)") {
            try await migrator.setupIfNeeded().get()
            try await migrator.prepareBatch().get()
        }
    }

    /// Closes the connections. The store must not be used afterwards.
    public func shutdown() async {
        await databases.shutdownAsync()
    }

    /// Runs `body`, turning whatever it throws into a ``ControlError``: its own errors pass
    /// through, constraint violations (a unique index, a foreign key) become `.conflict`, and the
    /// rest `.database`, each prefixed by `operation`.
    func perform<T: Sendable>(
        _ operation: String, _ body: () async throws -> T
    ) async throws(ControlError) -> T {
        do {
            return try await body()
        } catch let error as ControlError {
            throw error
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw .conflict("\(operation): \(String(describing: error))")
        } catch {
            throw .database("\(operation): \(String(describing: error))")
        }
    }

    /// Runs `body` in one transaction: all of it or none of it.
    func transaction<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws(ControlError) -> T {
        try await perform(operation) {
            try await database.transaction(body)
        }
    }
}
