import MediaCore

extension MediaPlaylist.DateRange {
    /// Reads `EXT-X-DATERANGE` attributes (RFC 8216bis §4.4.5.1): `ID` and `START-DATE` (both
    /// required), `CLASS`, `DURATION`, `PLANNED-DURATION`, and at most one of `SCTE35-CMD`,
    /// `SCTE35-OUT`, `SCTE35-IN` (§4.4.5.1.1) of at most ``PlaylistLimits/maxSCTE35Bytes``.
    /// Other attributes (`END-DATE`, `END-ON-NEXT`, client `X-` attributes) are not kept.
    static func parse(_ a: AttributeList, line: PlaylistLine, timescale: UInt32, limits: PlaylistLimits) throws(ManifestError) -> Self {
        let tag = "EXT-X-DATERANGE"
        let id = try a.require("ID") { n throws(ManifestError) in try a.string(n) }
        let startText = try a.require("START-DATE") { n throws(ManifestError) in try a.string(n) }
        guard let startDate = ProgramDateTime.parse(Substring(startText)) else {
            throw line.error(.invalidValue(tag: tag, attribute: "START-DATE"))
        }
        var scte35: SCTE35?
        for (name, cue) in [("SCTE35-CMD", SCTE35.command), ("SCTE35-OUT", SCTE35.out), ("SCTE35-IN", SCTE35.in)] {
            guard let text = try a.enumerated(name) else { continue }
            guard scte35 == nil else { throw line.error(.unsupported("\(tag) with more than one SCTE35 attribute")) }
            guard (text.utf8.count - 2) / 2 <= limits.maxSCTE35Bytes else {
                throw line.error(.limitExceeded(limit: "maxSCTE35Bytes", maximum: limits.maxSCTE35Bytes))
            }
            guard let bytes = bytes(hexadecimal: text) else { throw line.error(.invalidValue(tag: tag, attribute: name)) }
            scte35 = cue(bytes)
        }
        let duration = try a.seconds("DURATION", timescale: timescale)
        let plannedDuration = try a.seconds("PLANNED-DURATION", timescale: timescale)
        return Self(id: id, rangeClass: try a.string("CLASS"), startDate: startDate, duration: duration, plannedDuration: plannedDuration,
                    scte35: scte35)
    }

    /// The bytes of a hexadecimal-sequence (§4.2): `0x` or `0X`, then an even number of digits,
    /// either case. Nil for anything else.
    static func bytes(hexadecimal text: Substring) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] | 0x20 == UInt8(ascii: "x"), utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2 - 1)
        var index = 2
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
