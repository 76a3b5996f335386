extension DASHManifest {
    /// The `ContentProtection` descriptors of every AdaptationSet of a `cbcs` presentation
    /// (ISO/IEC 23009-1 §5.8.4.1, ISO/IEC 23001-7 §11): the common encryption scheme with the
    /// default key ID (`urn:mpeg:dash:mp4protection:2011`, `value="cbcs"`, `cenc:default_KID`),
    /// and the W3C Clear Key system with where its keys are (DASH-IF IOP's `dashif:Laurl`).
    public struct ContentProtection: Sendable, Hashable {
        /// 16 bytes: the `tenc` default KID of the init segments.
        public var defaultKeyID: [UInt8]
        /// The key URL, relative to the MPD: it gets the playback query like every URL.
        public var licenseURL: String

        public init(defaultKeyID: [UInt8], licenseURL: String) {
            self.defaultKeyID = defaultKeyID
            self.licenseURL = licenseURL
        }

        static let mp4Protection = "urn:mpeg:dash:mp4protection:2011"
        /// The W3C Clear Key system ID (DASH-IF registry).
        static let clearKeySystem = "urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e"
        /// The namespaces of `cenc:default_KID` (ISO/IEC 23001-7 §11.2) and `dashif:Laurl`.
        static let namespaces = " xmlns:cenc=\"urn:mpeg:cenc:2013\" xmlns:dashif=\"https://dashif.org/CPS\""

        /// The KID as a UUID string (§11.2: `default_KID` in 8-4-4-4-12 form).
        var uuid: String {
            let hex = defaultKeyID.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
            var out = ""
            for (index, character) in hex.enumerated() {
                if [8, 12, 16, 20].contains(index) { out += "-" }
                out.append(character)
            }
            return out
        }

        /// The two descriptors, indented for an AdaptationSet; `license` is ``licenseURL`` with
        /// the query applied and escaped.
        func render(license: String, _ out: inout String) {
            out += "      <ContentProtection schemeIdUri=\"\(Self.mp4Protection)\" value=\"cbcs\" cenc:default_KID=\"\(uuid)\"/>\n"
            out += "      <ContentProtection schemeIdUri=\"\(Self.clearKeySystem)\" value=\"ClearKey1.0\">\n"
            out += "        <dashif:Laurl>\(license)</dashif:Laurl>\n"
            out += "      </ContentProtection>\n"
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
