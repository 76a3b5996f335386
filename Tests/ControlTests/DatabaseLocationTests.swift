import Control
import Testing

@Suite("DatabaseLocation")
struct DatabaseLocationTests {
    @Test func defaultIsSQLiteInTheDataDirectory() throws {
        #expect(try DatabaseLocation.parse(nil, dataDirectory: "/srv/antenne") == .sqlite(path: "/srv/antenne/control.sqlite"))
        #expect(try DatabaseLocation.parse("  ", dataDirectory: "/srv/antenne") == .sqlite(path: "/srv/antenne/control.sqlite"))
    }

    @Test func sqlitePaths() throws {
        #expect(try DatabaseLocation.parse("sqlite:/var/lib/c.db", dataDirectory: "/d") == .sqlite(path: "/var/lib/c.db"))
        #expect(try DatabaseLocation.parse("sqlite://other.sqlite", dataDirectory: "/d") == .sqlite(path: "/d/other.sqlite"))
        #expect(try DatabaseLocation.parse("/abs/x.sqlite", dataDirectory: "/d") == .sqlite(path: "/abs/x.sqlite"))
        #expect(try DatabaseLocation.parse("rel/x.sqlite", dataDirectory: "/d") == .sqlite(path: "/d/rel/x.sqlite"))
    }

    @Test func postgresURLs() throws {
        let url = "postgres://antenne:s3cret@db.internal:5432/antenne"
        let location = try DatabaseLocation.parse(url, dataDirectory: "/d")
        #expect(location == .postgres(url: url))
        #expect(!location.description.contains("s3cret"))
        #expect(location.description.contains("db.internal"))
        #expect(try DatabaseLocation.parse("postgresql://u@h/db", dataDirectory: "/d") == .postgres(url: "postgresql://u@h/db"))
    }

    @Test func rejectsOtherSchemesAndIncompleteURLs() {
        #expect(throws: ControlError.self) { try DatabaseLocation.parse("mysql://u:p@h/db", dataDirectory: "/d") }
        #expect(throws: ControlError.invalid(field: "database", reason: "a PostgreSQL URL needs a user: postgres://user:pass@host:port/db")) {
            try DatabaseLocation.parse("postgres://h/db", dataDirectory: "/d")
        }
        #expect(throws: ControlError.self) { try DatabaseLocation.parse("postgres:///db", dataDirectory: "/d") }
    }
}
