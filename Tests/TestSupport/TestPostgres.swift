import FluentPostgresDriver
import Foundation
import Logging
import NIOPosix
import SQLKit

#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL server for the test run. With `ANTENNE_TEST_POSTGRES_URL` set (a URL whose user may
/// create databases), that server is used. Otherwise a throwaway cluster is made from Debian's
/// `postgresql` package (`scripts/setup --tests` installs it): `initdb` in a temporary directory,
/// `pg_ctl start` on a free loopback port with its socket in that directory (as the `postgres`
/// user when the tests run as root, since PostgreSQL refuses to run as root). It is stopped when
/// the test process exits, however it exits: an `atexit` handler sends the postmaster SIGQUIT, and
/// a detached watchdog that polls the test process stops the cluster and deletes its directory
/// once the process is gone (a crash or SIGKILL included).
///
/// Every test gets its own database (``makeDatabase()``), dropped afterwards.
public actor TestPostgres {
    public static let shared = TestPostgres()

    private var startup: Task<String, any Error>?
    private var admin: Databases?

    /// The URL of the maintenance database, starting the server on first use.
    public func baseURL() async throws -> String {
        if let startup { return try await startup.value }
        let task = Task { () throws -> String in
            if let url = ProcessInfo.processInfo.environment["ANTENNE_TEST_POSTGRES_URL"], !url.isEmpty {
                return url
            }
            return try TemporaryCluster.start()
        }
        startup = task
        return try await task.value
    }

    /// Creates an empty database and returns its URL and a function that drops it.
    public func makeDatabase() async throws -> (url: String, drop: @Sendable () async -> Void) {
        let base = try await baseURL()
        let admin = try adminDatabases(base)
        let name = "antenne_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        let sql = try adminSQL(admin)
        try await sql.raw("CREATE DATABASE \(ident: name)").run()
        guard var components = URLComponents(string: base) else { throw TestPostgresError("bad URL \(base)") }
        components.path = "/" + name
        guard let url = components.string else { throw TestPostgresError("bad URL \(base)") }
        return (url, {
            do {
                try await sql.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
            } catch {
                // Dropping is tidying only: a temporary cluster is deleted anyway.
                print("note: could not drop test database \(name): \(error)")
            }
        })
    }

    private func adminDatabases(_ base: String) throws -> Databases {
        if let admin { return admin }
        let databases = Databases(threadPool: .singleton, on: MultiThreadedEventLoopGroup.singleton)
        // CREATE/DROP DATABASE take a while (a checkpoint each on a server with fsync on) and every
        // parallel test issues both: a few connections and a patient pool.
        databases.use(
            try .postgres(url: base, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(120)), as: .psql
        )
        admin = databases
        return databases
    }

    private func adminSQL(_ databases: Databases) throws -> any SQLDatabase {
        var logger = Logger(label: "test.postgres.admin")
        logger.logLevel = .warning
        guard let db = databases.database(logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()),
              let sql = db as? any SQLDatabase
        else { throw TestPostgresError("no admin connection") }
        return sql
    }
}

public struct TestPostgresError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The postmaster's pid, for the `atexit` handler (which cannot capture context).
nonisolated(unsafe) private var temporaryClusterPID: pid_t = 0

private func stopTemporaryClusterAtExit() {
    if temporaryClusterPID > 0 {
        // SIGQUIT is PostgreSQL's immediate shutdown: fine for a throwaway cluster.
        kill(temporaryClusterPID, SIGQUIT)
    }
}

enum TemporaryCluster {
    /// The user the server runs as when the tests run as root.
    static let serverUser = "postgres"
    /// The superuser `initdb` creates; trust authentication on loopback only.
    static let superuser = "antenne"

    static func start() throws -> String {
        let bin = try binDirectory()
        let fileManager = FileManager.default
        let directory = fileManager.temporaryDirectory.appendingPathComponent("antenne-pg-\(UUID().uuidString)")
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        let runAs: [String]
        if getuid() == 0 {
            guard let user = getpwnam(serverUser) else {
                throw TestPostgresError("running as root but there is no \(serverUser) user; install the postgresql package")
            }
            guard chown(directory.path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
                throw TestPostgresError("chown \(directory.path) failed: errno \(errno)")
            }
            runAs = ["/usr/sbin/runuser", "-u", serverUser, "--"]
        } else {
            runAs = []
        }
        let data = directory.appendingPathComponent("data").path
        let log = directory.appendingPathComponent("server.log").path
        try run(runAs + [
            bin + "/initdb", "-D", data, "-U", superuser, "--auth=trust", "--encoding=UTF8",
            "--locale=C", "--no-sync",
        ], in: directory, what: "initdb")

        let port = try FreePort.loopback()
        // fsync and friends off: a throwaway cluster, and the suite runs several hundred
        // transactions. Connections: each store keeps a few, and tests run in parallel.
        let options = [
            "-p \(port)", "-k \(directory.path)", "-c listen_addresses=127.0.0.1",
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
            "-c max_connections=400",
        ].joined(separator: " ")
        try run(runAs + [
            bin + "/pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start",
        ], in: directory, what: "pg_ctl start (log: \(log))")

        let pidText = try String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8)
        if let first = pidText.split(separator: "\n").first, let pid = pid_t(first) {
            temporaryClusterPID = pid
            atexit(stopTemporaryClusterAtExit)
        }
        try startWatchdog(runAs: runAs, bin: bin, data: data, directory: directory.path)
        return "postgres://\(superuser)@127.0.0.1:\(port)/postgres?tlsmode=disable"
    }

    /// The newest `/usr/lib/postgresql/*/bin` holding `initdb`.
    static func binDirectory() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .filter { FileManager.default.isExecutableFile(atPath: "\(root)/\($0)/bin/initdb") }
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        guard let newest = versions.first else {
            throw TestPostgresError(
                "no PostgreSQL server found in \(root)/*/bin: run scripts/setup --tests (apt package postgresql), "
                    + "or set ANTENNE_TEST_POSTGRES_URL"
            )
        }
        return "\(root)/\(newest)/bin"
    }

    /// Stops the cluster and removes its directory once this process has exited.
    static func startWatchdog(runAs: [String], bin: String, data: String, directory: String) throws {
        let runAsText = runAs.map(shellQuote).joined(separator: " ")
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 0.5; done
            \(runAsText) \(shellQuote(bin + "/pg_ctl")) -D \(shellQuote(data)) stop -m immediate -w >/dev/null 2>&1
            rm -rf \(shellQuote(directory))
            """
        // `setsid -f` returns at once, leaving the watchdog in its own session.
        try run(["/usr/bin/setsid", "-f", "/bin/sh", "-c", script], in: URL(fileURLWithPath: directory), what: "watchdog")
    }

    static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs a command to completion with its output in a file.
    ///
    /// Not Foundation's `Process`: it learns that a child exited when a socket the child inherits
    /// is closed, and `pg_ctl start` leaves a server holding it, so `waitUntilExit` never returns.
    /// `posix_spawn` with every descriptor above stderr closed in the child also keeps the server
    /// from holding the test runner's pipes open.
    static func run(_ arguments: [String], in directory: URL, what: String) throws {
        let output = directory.appendingPathComponent("\(UUID().uuidString).out").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        guard closeFrom(&actions, 3) == 0, changeDirectory(&actions, directory.path) == 0 else {
            throw TestPostgresError("\(what): cannot set up posix_spawn file actions")
        }

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
        guard spawned == 0 else { throw TestPostgresError("\(what): cannot start \(arguments[0]): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw TestPostgresError("\(what): waitpid failed: errno \(errno)") }
        }
        // WIFEXITED && WEXITSTATUS == 0, spelled out: the C macros are not imported.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw TestPostgresError("\(what) failed (wait status \(status)): \(text)")
        }
    }

    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+) and `..._addchdir_np` (2.29+),
    /// looked up at run time because Swift's Glibc module does not declare the `_np` functions.
    nonisolated(unsafe) static let closeFrom: CloseFrom = unsafeBitCast(
        glibcSymbol("posix_spawn_file_actions_addclosefrom_np"), to: CloseFrom.self
    )
    nonisolated(unsafe) static let changeDirectory: ChangeDirectory = unsafeBitCast(
        glibcSymbol("posix_spawn_file_actions_addchdir_np"), to: ChangeDirectory.self
    )

    static func glibcSymbol(_ name: String) -> UnsafeMutableRawPointer {
        guard let symbol = dlsym(nil, name) else { fatalError("glibc without \(name): the tests need glibc 2.34 or newer") }
        return symbol
    }
}
