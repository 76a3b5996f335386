import Control
import Foundation
import Testing

/// The databases the control plane's tests run against: SQLite, and a throwaway PostgreSQL
/// cluster (`TestPostgres`; `ANTENNE_TEST_POSTGRES_URL` names a server instead). This file is
/// linked into every test target that runs against both.
public enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    public var testDescription: String { rawValue }

    /// A fresh, empty database location, and a function that removes it.
    public func makeLocation() async throws -> (DatabaseLocation, @Sendable () async -> Void) {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("antenne-control-\(UUID().uuidString)")
            let location = try DatabaseLocation.parse(nil, dataDirectory: directory.path)
            return (location, { try? FileManager.default.removeItem(at: directory) })
        case .postgres:
            let (url, drop) = try await TestPostgres.shared.makeDatabase()
            return (.postgres(url: url), drop)
        }
    }
}
