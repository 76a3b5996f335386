/// A key of an ``ArchiveStore``: slash-separated components of ASCII letters, digits, `.`, `-`
/// and `_`, none empty and none starting with `.` (so never `.` or `..`, and never the name of
/// a disk store's temporary file). Built from channel and rendition names, it can
/// never leave the store's root (a directory or a bucket prefix).
public struct ArchiveKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    /// Longest key: S3 allows 1,024 bytes including the store's prefix; archive keys stay well
    /// under half of that.
    public static let maximumLength = 512

    public init(_ value: String) throws(ArchiveError) {
        guard Self.isValid(value) else { throw .invalidKey(value) }
        self.value = value
    }

    /// Joins components, each checked.
    public init(components: [String]) throws(ArchiveError) {
        try self.init(components.joined(separator: "/"))
    }

    public var components: [Substring] { value.split(separator: "/") }
    public var description: String { value }

    public static func < (lhs: ArchiveKey, rhs: ArchiveKey) -> Bool { lhs.value < rhs.value }

    static func isValid(_ value: String) -> Bool {
        guard !value.isEmpty, value.utf8.count <= maximumLength else { return false }
        for component in value.split(separator: "/", omittingEmptySubsequences: false) {
            guard let first = component.first, first != "." else { return false }
            guard component.utf8.allSatisfy(isKeyByte) else { return false }
        }
        return true
    }

    static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}
