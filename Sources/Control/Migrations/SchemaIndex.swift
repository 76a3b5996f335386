import FluentKit
import SQLKit

/// Fluent's schema builder has no plain (non-unique) index; both drivers are SQL, so indexes go
/// through SQLKit.
func createIndex(_ name: String, on table: String, columns: [String], on database: any Database) async throws {
    guard let sql = database as? any SQLDatabase else {
        throw ControlError.database("\(table): the driver does not speak SQL, cannot create index \(name)")
    }
    var builder = sql.create(index: name).on(table)
    for column in columns {
        builder = builder.column(column)
    }
    try await builder.run()
}

/// All the migrations, in order: one per table. Released migrations never change; a change to
/// the schema is a new migration at the end.
enum ControlMigrations {
    static let all: [any Migration] = [
        CreateOrganisations(),
        CreateAPITokens(),
        CreateChannels(),
        CreateStreamKeys(),
        CreateEvents(),
        CreateWebhooks(),
        CreateWebhookDeliveries(),
        CreateRecordings(),
        CreateClips(),
        AddStreamKeyInputRole(),
        CreateRestreamDestinations(),
        AddChannelEncryption(),
        AddChannelP2P(),
        CreateScheduleItems(),
        AddChannelSlate(),
        AddChannelEncryptionScheme(),
    ]
}
