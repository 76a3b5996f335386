import ArgumentParser
import Control
import Foundation
import Logging

/// Where the operator commands find the control plane's database: the same flags and file as
/// `antenne serve`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The configuration file `serve` uses.", valueName: "FILE"))
    var config: String?

    @Option(name: .long, help: "Data directory (default ./data).")
    var dataDir: String?

    @Option(name: .long, help: ArgumentHelp("postgres://USER:PASSWORD@HOST:PORT/DB (default: SQLite in the data directory).", valueName: "URL"))
    var databaseUrl: String?

    /// Opens the store (running its migrations) and hands it to `body`, closing it afterwards.
    func withStore<T: Sendable>(_ body: (ControlStore) async throws -> T) async throws -> T {
        let file = try config.map(ConfigFile.load(path:)) ?? ConfigFile()
        let dataDirectory = dataDir ?? file.dataDir ?? "./data"
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        var logger = Logger(label: "antenne")
        logger.logLevel = .warning
        let store = try await ControlStore.open(
            database: try DatabaseLocation.parse(databaseUrl ?? file.databaseUrl, dataDirectory: dataDirectory), logger: logger)
        do {
            let result = try await body(store)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }
}

/// `antenne channel create|list|rotate-key`: channels of the control plane, from the shell.
struct ChannelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channel",
        abstract: "Create, list and rotate the keys of control-plane channels.",
        subcommands: [Create.self, List.self, RotateKey.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a channel and its first stream key (shown once).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Public channel name (letters, digits, '-', '_').") var name: String
        @Option(name: .long, help: "Organisation name; created if it does not exist.") var organisation: String
        @Option(name: .long, help: "Ladder: passthrough, conference, mobile or a ladder's JSON.") var ladder = "passthrough"
        @Option(name: .long, help: "public or token.") var visibility = "public"

        func run() async throws {
            guard let visibility = Visibility(rawValue: visibility) else { throw ValidationError("--visibility is public or token") }
            let (channel, key) = try await database.withStore { store in
                let organisation = try await store.findOrCreateOrganisation(named: organisation)
                let channel = try await store.createChannel(
                    organisation: organisation.id, NewChannel(name: name, ladder: ladder, visibility: visibility), scope: .serverAdmin)
                let key = try await store.createStreamKey(channel: channel.id, label: "default", scope: .serverAdmin)
                return (channel, key)
            }
            print("channel \(channel.name) (\(channel.id))")
            print("stream key (shown once): \(key.secret.value)")
            print("publish: rtmp://HOST:1935/live/\(key.secret.value)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List channels.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let channels = try await database.withStore { store in
                var all: [Control.Channel] = []
                var page = Page(limit: ControlLimits.pageLimit.upperBound)
                while true {
                    let result = try await store.channels(scope: .serverAdmin, page: page)
                    all += result.items
                    guard let next = result.nextCursor else { return all }
                    page = Page(limit: ControlLimits.pageLimit.upperBound, after: next)
                }
            }
            for channel in channels {
                print("\(channel.name)\t\(channel.visibility.rawValue)\t\(channel.ladder)\t\(channel.id)")
            }
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key", abstract: "Replace a channel's newest stream key with a new one (shown once).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Channel name.") var name: String

        func run() async throws {
            let key = try await database.withStore { store in
                guard let channel = try await store.channel(named: name) else { throw ValidationError("no channel named '\(name)'") }
                let keys = try await store.streamKeys(channel: channel.id, scope: .serverAdmin, page: Page(limit: ControlLimits.pageLimit.upperBound))
                if let newest = keys.items.filter({ $0.revokedAt == nil }).max(by: { $0.createdAt < $1.createdAt }) {
                    return try await store.rotateStreamKey(id: newest.id, scope: .serverAdmin)
                }
                return try await store.createStreamKey(channel: channel.id, label: "default", scope: .serverAdmin)
            }
            print("new stream key (shown once): \(key.secret.value)")
        }
    }
}

/// `antenne token create`: an API token of an organisation.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create API tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API token (shown once).")
        @OptionGroup var database: DatabaseOptions
        @Option(name: .long, help: "Organisation name; created if it does not exist.") var organisation: String
        @Option(name: .long, help: "admin or readOnly.") var role = "admin"
        @Option(name: .long, help: "A label for the token.") var name = "cli"

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("--role is admin or readOnly") }
            let token = try await database.withStore { store in
                let organisation = try await store.findOrCreateOrganisation(named: organisation)
                return try await store.createToken(organisation: organisation.id, name: name, role: role, scope: .serverAdmin)
            }
            print("API token (shown once): \(token.secret.value)")
        }
    }
}

extension ControlStore {
    /// The organisation with this name, created if there is none.
    func findOrCreateOrganisation(named name: String) async throws -> Organisation {
        var page = Page(limit: ControlLimits.pageLimit.upperBound)
        while true {
            let result = try await organisations(scope: .serverAdmin, page: page)
            if let found = result.items.first(where: { $0.name == name }) { return found }
            guard let next = result.nextCursor else { break }
            page = Page(limit: ControlLimits.pageLimit.upperBound, after: next)
        }
        return try await createOrganisation(name: name, scope: .serverAdmin)
    }
}
