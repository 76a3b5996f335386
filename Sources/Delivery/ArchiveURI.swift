import Archive

/// URIs of archived media, relative to a rendition's `index.m3u8`: `archive/{day}-{hour}-{name}`
/// for a segment (the parts of its archive key) and `archive/init-{id}.mp4` for an init segment.
enum ArchiveURI {
    static func segment(_ record: SegmentRecord) -> String {
        let hour = SegmentRecord.hourPath(record.programDateTime)
        let name = (try? record.key)?.components.last.map(String.init) ?? ""
        return "archive/\(hour[0])-\(hour[1])-\(name)"
    }

    static func initSegment(_ id: String) -> String { "archive/init-\(id).mp4" }

    /// What an `archive/` file name asks for.
    enum File: Equatable {
        case segment(day: String, hour: String, name: String)
        case initSegment(id: String)
    }

    static func parse(_ file: String) -> File? {
        if file.hasPrefix("init-"), file.hasSuffix(".mp4") {
            return .initSegment(id: String(file.dropFirst(5).dropLast(4)))
        }
        let pieces = file.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].count == 8, pieces[1].count == 2 else { return nil }
        return .segment(day: String(pieces[0]), hour: String(pieces[1]), name: String(pieces[2]))
    }
}
