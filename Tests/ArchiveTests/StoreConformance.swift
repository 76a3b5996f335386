import Archive
import NIOCore
import Testing

/// What every ArchiveStore must do, run against each store by its own suite.
enum StoreConformance {
    static func key(_ value: String) throws -> ArchiveKey { try ArchiveKey(value) }

    static func putGetListDelete(_ store: some ArchiveStore) async throws {
        #expect(try await store.get(key("ch/720p/none.m4s")) == nil)
        #expect(try await store.list(prefix: "ch/").isEmpty)

        let bytes = ByteBuffer(bytes: (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try await store.put(key("ch/720p/20261122/10/000000000001.m4s"), bytes)
        try await store.put(key("ch/720p/20261122/10/000000000002.m4s"), ByteBuffer(string: "two"))
        try await store.put(key("ch/audio/20261122/10/000000000001.m4s"), ByteBuffer(string: "audio"))
        try await store.put(key("ch2/720p/init/abc.mp4"), ByteBuffer(string: "other channel"))
        try await store.put(key("ch/720p/empty.m4s"), ByteBuffer())

        #expect(try await store.get(key("ch/720p/20261122/10/000000000001.m4s")) == bytes)
        #expect(try await store.get(key("ch/720p/empty.m4s")) == ByteBuffer())
        // Parts are stored as one object.
        try await store.put(key("ch2/720p/Clips/c.mp4"), parts: [ByteBuffer(string: "ftyp"), ByteBuffer(), bytes.getSlice(at: 10, length: 5)!])
        var joined = ByteBuffer(string: "ftyp")
        joined.writeImmutableBuffer(bytes.getSlice(at: 10, length: 5)!)
        #expect(try await store.get(key("ch2/720p/Clips/c.mp4")) == joined)
        try await store.delete([key("ch2/720p/Clips/c.mp4")])
        // Ranges: inside, over the end, past the end, absent.
        let big = try key("ch/720p/20261122/10/000000000001.m4s")
        #expect(try await store.read(big, from: 1_000, count: 500) == ObjectRange(data: bytes.getSlice(at: 1_000, length: 500)!, size: 200_000))
        #expect(try await store.read(big, from: 199_900, count: 500) == ObjectRange(data: bytes.getSlice(at: 199_900, length: 100)!, size: 200_000))
        #expect(try await store.read(big, from: 200_000, count: 10)?.data.readableBytes == 0)
        #expect(try await store.read(big, from: 200_000, count: 10)?.size == 200_000)
        #expect(try await store.read(try key("ch/720p/none.m4s"), from: 0, count: 10) == nil)
        // Replacing an object replaces it whole.
        try await store.put(key("ch/720p/20261122/10/000000000002.m4s"), ByteBuffer(string: "TWO!"))
        #expect(try await store.get(key("ch/720p/20261122/10/000000000002.m4s")) == ByteBuffer(string: "TWO!"))

        let listed = try await store.list(prefix: "ch/720p/")
        #expect(listed.map(\.key.value) == [
            "ch/720p/20261122/10/000000000001.m4s", "ch/720p/20261122/10/000000000002.m4s", "ch/720p/empty.m4s",
        ])
        #expect(listed.map(\.size) == [200_000, 4, 0])
        #expect(try await store.list(prefix: "ch/").count == 4, "a prefix ends at a component: ch2 is not under ch/")
        #expect(try await store.list(prefix: "ch/720p/20261122/10/000000000002").map(\.key.value) == ["ch/720p/20261122/10/000000000002.m4s"])
        #expect(try await store.list(prefix: "nothing/here/").isEmpty)
        #expect(try await store.list(prefix: "").count == 5)

        // One level at a time: what holds objects, whatever the depth below.
        #expect(try await store.listDirectories(prefix: "") == ["ch", "ch2"])
        #expect(try await store.listDirectories(prefix: "ch/") == ["720p", "audio"])
        #expect(try await store.listDirectories(prefix: "ch/720p/") == ["20261122"], "objects right at the level are not directories")
        #expect(try await store.listDirectories(prefix: "ch/720p/20261122/") == ["10"])
        #expect(try await store.listDirectories(prefix: "ch/720p/20261122/10/").isEmpty)
        #expect(try await store.listDirectories(prefix: "nothing/").isEmpty)

        try await store.delete([key("ch/720p/20261122/10/000000000001.m4s"), key("ch/720p/never-written.m4s")])
        #expect(try await store.get(key("ch/720p/20261122/10/000000000001.m4s")) == nil)
        #expect(try await store.list(prefix: "ch/720p/").count == 2)
        try await store.delete([key("ch/720p/20261122/10/000000000002.m4s")])
        #expect(try await store.listDirectories(prefix: "ch/720p/").isEmpty, "a day whose last object went is no longer listed")
        #expect(try await store.listDirectories(prefix: "ch/") == ["720p", "audio"])
    }

    static func manyObjects(_ store: some ArchiveStore, count: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<count {
                group.addTask { try await store.put(key("many/r/\(String(format: "%06d", i)).m4s"), ByteBuffer(string: "\(i)")) }
            }
            try await group.waitForAll()
        }
        let listed = try await store.list(prefix: "many/")
        #expect(listed.count == count)
        #expect(listed.map(\.key) == listed.map(\.key).sorted())
    }
}

@Suite struct ArchiveKeyTests {
    @Test(arguments: ["a", "ch/720p/20261122/10/000000000001.m4s", "A-b_c.d/e", String(repeating: "x", count: ArchiveKey.maximumLength)])
    func valid(_ value: String) throws {
        #expect(try ArchiveKey(value).value == value)
    }

    @Test(arguments: ["", "/abs", "a/", "a//b", "../etc/passwd", "a/../b", "a/./b", ".hidden", "a/.tmp", "sp ace", "a\\b", "é",
                      "a\u{0}b", String(repeating: "x", count: ArchiveKey.maximumLength + 1)])
    func invalid(_ value: String) {
        #expect(throws: ArchiveError.invalidKey(value)) { try ArchiveKey(value) }
    }
}
