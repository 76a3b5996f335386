@testable import Archive
import Foundation
import NIOCore
import NIOPosix
import Testing
import TestSupport

/// The store against a real S3-compatible server (``TestMoto``), in both addressing styles.
@Suite struct S3ArchiveStoreTests {
    static func withStore(
        _ configuration: S3Configuration, _ body: (S3ArchiveStore) async throws -> Void
    ) async throws {
        let store = S3ArchiveStore(configuration: configuration)
        do {
            try await body(store)
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }

    static func withMotoStore(_ addressing: S3Configuration.Addressing, _ body: (S3ArchiveStore) async throws -> Void) async throws {
        try await withStore(try await TestMoto.shared.makeConfiguration(addressing: addressing), body)
    }

    @Test(arguments: S3Configuration.Addressing.allCases)
    func conformance(addressing: S3Configuration.Addressing) async throws {
        try await Self.withMotoStore(addressing) { store in try await StoreConformance.putGetListDelete(store) }
    }

    /// More than one ListObjectsV2 page: moto, like S3, returns 1,000 keys a page.
    @Test(arguments: S3Configuration.Addressing.allCases)
    func manyObjects(addressing: S3Configuration.Addressing) async throws {
        try await Self.withMotoStore(addressing) { store in
            try await StoreConformance.manyObjects(store, count: 1_100)
            let keys = try await store.list(prefix: "many/").map(\.key)
            try await store.delete(keys)
            #expect(try await store.list(prefix: "many/").isEmpty)
        }
    }

    /// The key prefix is the store's root: objects outside it, and objects under it whose keys
    /// are no archive keys, are never listed.
    @Test func foreignObjectsAreSkipped() async throws {
        let configuration = try await TestMoto.shared.makeConfiguration(addressing: .path, keyPrefix: "archive/test/")
        for key in ["archive/test/ch/sp ace.m4s", "archive/test/ch/.tmp", "archive/test/ch//x", "archive/testing/ch/a.m4s", "other/ch/a.m4s"] {
            try await TestMoto.shared.rawPut(bucket: configuration.bucket, key: key, "foreign")
        }
        try await Self.withStore(configuration) { store in
            try await store.put(try ArchiveKey("ch/ok.m4s"), ByteBuffer(string: "ours"))
            #expect(try await store.list(prefix: "").map(\.key.value) == ["ch/ok.m4s"])
            #expect(try await store.list(prefix: "ch/").map(\.key.value) == ["ch/ok.m4s"])
            await #expect(throws: ArchiveError.invalidKey("ch/sp ace")) { try await store.list(prefix: "ch/sp ace") }
        }
    }

    @Test func wrongSecretIsRefused() async throws {
        var configuration = try await TestMoto.shared.makeConfiguration(addressing: .path)
        configuration.credentials.secretAccessKey = "not-the-secret-key"
        try await Self.withStore(configuration) { store in
            let key = try ArchiveKey("ch/1.m4s")
            for (what, operation) in Self.operations(store, key) {
                do throws(ArchiveError) {
                    try await operation()
                    Issue.record("\(what) with a wrong secret succeeded")
                } catch {
                    guard case .refused(let detail) = error else { Issue.record("\(what): \(error)"); continue }
                    #expect(detail.contains("SignatureDoesNotMatch"), "\(what): \(detail)")
                    #expect(!detail.contains("not-the-secret-key"))
                }
            }
        }
    }

    @Test func missingBucketIsRefused() async throws {
        let server = try await TestMoto.shared.server()
        let configuration = try TestMoto.configuration(port: server.port, bucket: "antenne-never-created", credentials: server.credentials, addressing: .path)
        try await Self.withStore(configuration) { store in
            for (what, operation) in Self.operations(store, try ArchiveKey("ch/1.m4s")) {
                do throws(ArchiveError) {
                    try await operation()
                    Issue.record("\(what) in a missing bucket succeeded")
                } catch {
                    guard case .refused(let detail) = error else { Issue.record("\(what): \(error)"); continue }
                    #expect(detail.contains("NoSuchBucket"), "\(what): \(detail)")
                }
            }
        }
    }

    /// Nobody listens: every operation fails at once as unavailable, for the caller to retry.
    @Test func stoppedServerIsUnavailableQuickly() async throws {
        let port = try FreePort.loopback()
        let configuration = try TestMoto.configuration(
            port: port, bucket: "antenne-stopped", credentials: S3Credentials(accessKeyID: "a", secretAccessKey: "b"), addressing: .path
        )
        try await Self.withStore(configuration) { store in
            let started = ContinuousClock.now
            for (what, operation) in Self.operations(store, try ArchiveKey("ch/1.m4s")) {
                do throws(ArchiveError) {
                    try await operation()
                    Issue.record("\(what) without a server succeeded")
                } catch {
                    guard case .unavailable = error else { Issue.record("\(what): \(error)"); continue }
                }
            }
            // Refused connections fail at once; the bound only catches a wait for a timeout (loaded CI included).
            #expect(ContinuousClock.now - started < .seconds(20))
        }
    }

    /// A server that accepts and never answers: the read timeout ends the wait.
    @Test func silentServerTimesOut() async throws {
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in channel.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        var configuration = try TestMoto.configuration(
            port: silent.localAddress!.port!, bucket: "antenne-silent", credentials: S3Credentials(accessKeyID: "a", secretAccessKey: "b"),
            addressing: .path
        )
        configuration.readTimeout = .seconds(1)
        try await Self.withStore(configuration) { store in
            let started = ContinuousClock.now
            do throws(ArchiveError) {
                _ = try await store.get(try ArchiveKey("ch/1.m4s"))
                Issue.record("a silent server answered")
            } catch {
                guard case .unavailable = error else { Issue.record("\(error)"); return }
            }
            #expect(ContinuousClock.now - started < .seconds(10))
        }
        try await silent.close()
    }

    /// Each operation of the store once, by name.
    static func operations(_ store: S3ArchiveStore, _ key: ArchiveKey) -> [(String, () async throws(ArchiveError) -> Void)] {
        [
            ("put", { () async throws(ArchiveError) in try await store.put(key, ByteBuffer(string: "x")) }),
            ("get", { () async throws(ArchiveError) in _ = try await store.get(key) }),
            ("list", { () async throws(ArchiveError) in _ = try await store.list(prefix: "ch/") }),
            ("delete", { () async throws(ArchiveError) in try await store.delete([key]) }),
        ]
    }
}
