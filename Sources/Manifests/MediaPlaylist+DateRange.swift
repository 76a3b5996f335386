import MediaCore

extension MediaPlaylist {
    /// `EXT-X-DATERANGE` (RFC 8216bis §4.4.5.1): a range of time with attributes, here an ad break
    /// or a programme with its SCTE-35 cues (§4.4.5.1.1). Rendered with the segment (or the
    /// in-progress segment) it starts at, after its `EXT-X-PROGRAM-DATE-TIME`:
    /// `#EXT-X-DATERANGE:ID="b1",START-DATE="…",PLANNED-DURATION=30.00000,SCTE35-OUT=0xFC30…`.
    public struct DateRange: Sendable, Hashable {
        /// `ID`: unique in the playlist; two tags with one id describe the same range.
        public var id: String
        /// `CLASS`: the set of attributes the range follows.
        public var rangeClass: String?
        /// `START-DATE`, Unix epoch milliseconds.
        public var startDate: Int64
        /// `DURATION`: the range's actual length, once it has ended.
        public var duration: MediaTime?
        /// `PLANNED-DURATION`: its expected length, while it has not.
        public var plannedDuration: MediaTime?
        /// `SCTE35-CMD`, `SCTE35-OUT`, `SCTE35-IN`: a `splice_info_section`, written as a
        /// hexadecimal-sequence.
        public var scte35: SCTE35?

        public enum SCTE35: Sendable, Hashable {
            case command([UInt8])
            case out([UInt8])
            case `in`([UInt8])
        }

        public init(
            id: String, rangeClass: String? = nil, startDate: Int64, duration: MediaTime? = nil, plannedDuration: MediaTime? = nil,
            scte35: SCTE35? = nil
        ) {
            self.id = id
            self.rangeClass = rangeClass
            self.startDate = startDate
            self.duration = duration
            self.plannedDuration = plannedDuration
            self.scte35 = scte35
        }

        /// The tag's attribute list, in the order of §4.4.5.1.
        var attributes: String {
            var a = AttributeWriter(capacity: 160)
            a.string("ID", id)
            a.string("CLASS", rangeClass)
            a.string("START-DATE", ProgramDateTime.format(startDate))
            a.seconds("DURATION", duration)
            a.seconds("PLANNED-DURATION", plannedDuration)
            switch scte35 {
            case .command(let bytes): a.enumerated("SCTE35-CMD", Self.hexadecimal(bytes))
            case .out(let bytes): a.enumerated("SCTE35-OUT", Self.hexadecimal(bytes))
            case .in(let bytes): a.enumerated("SCTE35-IN", Self.hexadecimal(bytes))
            case nil: break
            }
            return a.text
        }

        /// A hexadecimal-sequence (§4.2): `0x` and the bytes as upper-case digits.
        static func hexadecimal(_ bytes: [UInt8]) -> String {
            let digits = Array("0123456789ABCDEF".utf8)
            var text: [UInt8] = Array("0x".utf8)
            text.reserveCapacity(2 + bytes.count * 2)
            for byte in bytes {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0F)])
            }
            return String(decoding: text, as: UTF8.self)
        }
    }
}
