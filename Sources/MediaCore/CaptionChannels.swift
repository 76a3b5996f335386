/// The closed-caption channels carried in a video track's pictures (ATSC A/53 `cc_data` in SEI):
/// CEA-608 channels CC1 to CC4 (CTA-608-E: field 1 carries CC1 and CC2, field 2 CC3 and CC4) and
/// CEA-708 services 1 to 63 (CTA-708-E §6.2). Named as HLS's `INSTREAM-ID` names them (RFC 8216bis
/// §4.4.6.1: `CC1`…`CC4`, `SERVICE1`…`SERVICE63`). Empty: none.
public struct CaptionChannels: Sendable, Hashable {
    /// Bit `n - 1` is CCn.
    public private(set) var cea608: UInt8 = 0
    /// Bit `n - 1` is service n.
    public private(set) var cea708: UInt64 = 0

    /// CEA-608 data channels, CC1 to CC4.
    public static let cea608Channels = 1...4
    /// CEA-708 caption services: 1 to 6 in a service block header, 7 to 63 extended (CTA-708-E
    /// §6.2.2); 0 is the null service.
    public static let cea708Services = 1...63

    public init() {}

    public var isEmpty: Bool { cea608 == 0 && cea708 == 0 }

    /// Adds CEA-608 channel `n` (CCn); other numbers are not channels.
    public mutating func insert608(_ n: Int) {
        guard Self.cea608Channels.contains(n) else { return }
        cea608 |= 1 << (n - 1)
    }

    /// Adds CEA-708 service `n`; other numbers are not services.
    public mutating func insert708(_ n: Int) {
        guard Self.cea708Services.contains(n) else { return }
        cea708 |= 1 << (n - 1)
    }

    public func union(_ other: CaptionChannels) -> CaptionChannels {
        var both = self
        both.cea608 |= other.cea608
        both.cea708 |= other.cea708
        return both
    }

    public func isSuperset(of other: CaptionChannels) -> Bool { union(other) == self }

    /// CEA-608 channels present, in order.
    public var channels608: [Int] { Self.cea608Channels.filter { cea608 & (1 << ($0 - 1)) != 0 } }
    /// CEA-708 services present, in order.
    public var services708: [Int] { Self.cea708Services.filter { cea708 & (1 << ($0 - 1)) != 0 } }

    /// `INSTREAM-ID` values: the CEA-608 channels, then the CEA-708 services.
    public var instreamIDs: [String] { channels608.map { "CC\($0)" } + services708.map { "SERVICE\($0)" } }

    /// The channels of `INSTREAM-ID` values; nil when one is not a channel (RFC 8216bis §4.4.6.1).
    public init?(instreamIDs: [String]) {
        for id in instreamIDs {
            if id.hasPrefix("CC"), let n = Int(id.dropFirst(2)), Self.cea608Channels.contains(n), id == "CC\(n)" {
                insert608(n)
            } else if id.hasPrefix("SERVICE"), let n = Int(id.dropFirst(7)), Self.cea708Services.contains(n), id == "SERVICE\(n)" {
                insert708(n)
            } else {
                return nil
            }
        }
    }
}
