/// The names a rendition directory serves: `index.m3u8`, `init.mp4`, `init-{n}.mp4`, `{msn}.m4s`
/// and `{msn}.{part}.m4s`.
enum MediaFileName: Equatable {
    case playlist
    case initSegment(index: Int)
    case segment(msn: Int)
    case part(msn: Int, index: Int)

    /// Media sequence numbers are parsed from at most this many digits: 15 digits of 2 s segments
    /// last 63 million years, and it keeps Int parsing far from overflow.
    static let maximumDigits = 15

    init?(_ name: String) {
        if name == "index.m3u8" { self = .playlist; return }
        if name == "init.mp4" { self = .initSegment(index: 0); return }
        if name.hasPrefix("init-"), name.hasSuffix(".mp4") {
            guard let n = Self.number(name.dropFirst(5).dropLast(4)), n > 0 else { return nil }
            self = .initSegment(index: n)
            return
        }
        guard name.hasSuffix(".m4s") else { return nil }
        let stem = name.dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
        switch stem.count {
        case 1:
            guard let msn = Self.number(stem[0]) else { return nil }
            self = .segment(msn: msn)
        case 2:
            guard let msn = Self.number(stem[0]), let part = Self.number(stem[1]) else { return nil }
            self = .part(msn: msn, index: part)
        default:
            return nil
        }
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.count <= maximumDigits, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(text)
    }
}
