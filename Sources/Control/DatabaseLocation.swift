import Foundation

/// Where the control database lives.
public enum DatabaseLocation: Sendable, Hashable {
    /// An SQLite file (created with its directory if missing). The default is
    /// `{dataDirectory}/control.sqlite`.
    case sqlite(path: String)
    /// A PostgreSQL server: `postgres://user:password@host:port/database`, optionally with
    /// `?tlsmode=disable|prefer|require` (PostgresKit's URL format; `postgresql://` works too).
    case postgres(url: String)

    /// Whether several servers may share the database: a PostgreSQL server, yes; an SQLite file
    /// belongs to the one server that opened it.
    public var isShared: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// The SQLite file name used in the data directory when no database is configured.
    public static let defaultSQLiteFileName = "control.sqlite"

    /// Parses the `database` setting. Accepted forms:
    /// - empty or `nil`: the default SQLite file in `dataDirectory`;
    /// - `postgres://...` or `postgresql://...`: PostgreSQL;
    /// - `sqlite:PATH` / `sqlite://PATH`, or a bare path: an SQLite file; a relative path is taken
    ///   relative to `dataDirectory`.
    public static func parse(_ text: String?, dataDirectory: String) throws(ControlError) -> DatabaseLocation {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        let directory = URL(fileURLWithPath: dataDirectory, isDirectory: true)
        if trimmed.isEmpty {
            return .sqlite(path: directory.appendingPathComponent(defaultSQLiteFileName).path)
        }
        let lower = trimmed.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: trimmed), let host = components.host, !host.isEmpty else {
                throw .invalid(field: "database", reason: "a PostgreSQL URL needs a host: postgres://user:pass@host:port/db")
            }
            guard components.user?.isEmpty == false else {
                throw .invalid(field: "database", reason: "a PostgreSQL URL needs a user: postgres://user:pass@host:port/db")
            }
            return .postgres(url: trimmed)
        }
        var path = trimmed
        if lower.hasPrefix("sqlite://") {
            path = String(trimmed.dropFirst("sqlite://".count))
        } else if lower.hasPrefix("sqlite:") {
            path = String(trimmed.dropFirst("sqlite:".count))
        } else if let colon = trimmed.firstIndex(of: ":"), trimmed[..<colon].contains("/") == false,
                  trimmed[trimmed.index(after: colon)...].hasPrefix("//") {
            throw .invalid(field: "database", reason: "unknown scheme \(trimmed[..<colon]); use postgres:// or sqlite:")
        }
        guard !path.isEmpty else { throw .invalid(field: "database", reason: "empty SQLite path") }
        if path.hasPrefix("/") { return .sqlite(path: path) }
        return .sqlite(path: directory.appendingPathComponent(path).path)
    }
}

extension DatabaseLocation: CustomStringConvertible {
    /// Safe to log: a PostgreSQL password is replaced by `***`.
    public var description: String {
        switch self {
        case .sqlite(let path):
            return "sqlite:\(path)"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://(unparsable URL)" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres://(unparsable URL)"
        }
    }
}
