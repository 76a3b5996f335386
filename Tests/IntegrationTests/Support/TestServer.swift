import AntenneServer
import Foundation
import Logging
import MediaCore
import Packager
import TestSupport

/// An Antenne server running in-process on free ports.
final class TestServer: Sendable {
    let server: AntenneServer
    let http: Int
    let rtmp: Int
    private let task: Task<Void, any Error>
    private let dropDatabase: @Sendable () async -> Void

    static func start(
        channels: [(String, String)] = [("live1", "key-live1-secret")],
        database: Backend = .sqlite,
        logger capturing: Logger? = nil,
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        var config = ServerConfiguration()
        config.host = "127.0.0.1"
        config.httpPort = 0
        config.rtmpPort = 0
        config.srtPort = 0
        let ownDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-test-\(UUID().uuidString)").path
        config.dataDirectory = ownDirectory
        config.channels = channels.map { ServerConfiguration.Channel(name: $0.0, streamKey: $0.1) }
        var dropDatabase: @Sendable () async -> Void = {}
        if database == .postgres {
            (config.databaseURL, dropDatabase) = try await TestPostgres.shared.makeDatabase()
        }
        configure(&config)
        var logger = Logger(label: "antenne.test")
        logger.logLevel = ProcessInfo.processInfo.environment["ANTENNE_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let server = try AntenneServer(configuration: config, logger: capturing ?? logger)
        let task = Task { try await server.run(handleSignals: false) }
        // The whole suite starts dozens of servers at once on two cores: opening and migrating a
        // database has taken over 30 s there, so a server gets two minutes to bind.
        let ports = try await server.waitUntilReady(timeout: .seconds(120))
        // A directory the test chose itself may be meant for a second server: only ours is removed.
        let removable = config.dataDirectory == ownDirectory ? ownDirectory : nil
        return TestServer(server: server, http: ports.http, rtmp: ports.rtmp, task: task, dropDatabase: dropDatabase, dataDirectory: removable)
    }

    /// The data directory made for this server, removed when it stops; nil when the test chose one.
    private let dataDirectory: String?

    private init(
        server: AntenneServer, http: Int, rtmp: Int, task: Task<Void, any Error>, dropDatabase: @escaping @Sendable () async -> Void,
        dataDirectory: String?
    ) {
        self.server = server
        self.http = http
        self.rtmp = rtmp
        self.task = task
        self.dropDatabase = dropDatabase
        self.dataDirectory = dataDirectory
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(http)/\(path)" }
    func publishURL(key: String) -> String { "rtmp://127.0.0.1:\(rtmp)/live/\(key)" }

    func stop() async throws {
        await server.shutdown()
        try await task.value
        await dropDatabase()
        if let dataDirectory, FileManager.default.fileExists(atPath: dataDirectory) { try FileManager.default.removeItem(atPath: dataDirectory) }
    }
}
