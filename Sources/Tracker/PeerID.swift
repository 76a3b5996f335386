/// One connection to the tracker: random, so that peers cannot guess each other's ids to send
/// them signals, and new on every connection.
public struct PeerID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    public static func random() -> PeerID {
        var generator = SystemRandomNumberGenerator()
        return PeerID(generator.next())
    }

    /// 16 lower-case hex digits, as the signalling messages carry it.
    public var description: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The id a message names, if it is 16 hex digits.
    public init?(_ text: String) {
        let hex = text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
        guard text.utf8.count == 16, hex, let value = UInt64(text, radix: 16) else { return nil }
        self.value = value
    }

    public static func < (a: PeerID, b: PeerID) -> Bool { a.value < b.value }
}
