import MediaCore

extension DASHManifest {
    /// `EventStream` (ISO/IEC 23009-1 §5.10.2): timed events of a Period, here SCTE-35 cues
    /// (ANSI/SCTE 214-1 §6.7: `urn:scte:scte35:2014:xml+bin`, each event a `Signal` holding the
    /// base64 `splice_info_section` in `Binary`).
    public struct EventStream: Sendable, Hashable {
        public var schemeIdUri: String
        /// Ticks per second of the events' times.
        public var timescale: UInt32
        public var events: [Event]

        public init(schemeIdUri: String = EventStream.scte35, timescale: UInt32 = 1_000, events: [Event]) {
            self.schemeIdUri = schemeIdUri
            self.timescale = timescale
            self.events = events
        }

        /// SCTE 214-1 §6.7.4: an SCTE-35 section in XML with its binary form.
        public static let scte35 = "urn:scte:scte35:2014:xml+bin"
        /// The SCTE-35 XML namespace of `Signal` (SCTE 35 2016 and later).
        static let signalNamespace = "http://www.scte.org/schemas/35/2016"

        /// `Event` (§5.10.2.2).
        public struct Event: Sendable, Hashable {
            /// `@presentationTime`: ticks after the Period's start (the stream's
            /// `presentationTimeOffset` is 0).
            public var presentationTime: Int64
            public var duration: Int64?
            /// `@id`: unique in the stream; the SCTE-35 event id.
            public var id: UInt32
            /// The `splice_info_section`, base64.
            public var binary: String

            public init(presentationTime: Int64, duration: Int64?, id: UInt32, binary: String) {
                self.presentationTime = presentationTime
                self.duration = duration
                self.id = id
                self.binary = binary
            }
        }
    }
}

extension DASHManifest.EventStream {
    /// The element, indented for a child of `Period`.
    func render(_ out: inout String) {
        out += "    <EventStream schemeIdUri=\"\(schemeIdUri)\" timescale=\"\(timescale)\">\n"
        for event in events {
            out += "      <Event presentationTime=\"\(event.presentationTime)\""
            if let duration = event.duration { out += " duration=\"\(duration)\"" }
            out += " id=\"\(event.id)\">\n"
            out += "        <Signal xmlns=\"\(Self.signalNamespace)\">\n"
            out += "          <Binary>\(event.binary)</Binary>\n"
            out += "        </Signal>\n"
            out += "      </Event>\n"
        }
        out += "    </EventStream>\n"
    }
}
