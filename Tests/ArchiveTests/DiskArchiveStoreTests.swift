import Archive
import Foundation
import NIOCore
import Testing

@Suite struct DiskArchiveStoreTests {
    static func withStore(_ body: (DiskArchiveStore, URL) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-archive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try await body(DiskArchiveStore(root: root), root)
    }

    @Test func conformance() async throws {
        try await Self.withStore { store, _ in try await StoreConformance.putGetListDelete(store) }
    }

    @Test func manyObjects() async throws {
        try await Self.withStore { store, _ in try await StoreConformance.manyObjects(store, count: 300) }
    }

    /// A crash mid-write leaves a temporary file: never listed, never read, removed at start.
    @Test func leftoversOfACrashAreInvisibleAndRemoved() async throws {
        try await Self.withStore { store, root in
            try await store.put(try ArchiveKey("ch/src/000001.m4s"), ByteBuffer(string: "whole"))
            let directory = root.appendingPathComponent("ch/src")
            try Data("half".utf8).write(to: directory.appendingPathComponent(".000002.m4s.1234.tmp"))
            #expect(try await store.list(prefix: "ch/").map(\.key.value) == ["ch/src/000001.m4s"])
            #expect(try await store.removeLeftovers() == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["000001.m4s"])
        }
    }
}
