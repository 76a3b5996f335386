import Observability
import Testing

@Suite struct DiskMetricsTests {
    static func value(_ text: String, _ name: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    /// The data directory's filesystem: its size, and the bytes still writable, no more than it.
    @Test func theDataDirectorysFilesystem() throws {
        let text = MetricsExposition(collectors: [ServerCollectors.disk(path: "/")]).render()
        let size = try #require(Self.value(text, "antenne_data_filesystem_size_bytes"), "\(text)")
        let free = try #require(Self.value(text, "antenne_data_filesystem_free_bytes"), "\(text)")
        #expect(size > 0 && free >= 0 && free <= size)
    }

    /// A directory that cannot be read reports nothing, rather than a full or an empty disk.
    @Test func nothingForAMissingDirectory() {
        let text = MetricsExposition(collectors: [ServerCollectors.disk(path: "/nonexistent/antenne-data")]).render()
        #expect(!text.contains("antenne_data_filesystem"), "\(text)")
    }
}
