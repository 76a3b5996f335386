import MediaCore

/// A parsed attribute list (RFC 8216bis §4.2): `NAME=value` pairs separated by commas, where a
/// value is a quoted string (no comma-splitting inside quotes) or an unquoted token.
struct AttributeList {
    private var values: [Substring: (value: Substring, quoted: Bool)] = [:]
    private let line: PlaylistLine
    private let tag: String

    init(_ text: Substring, line: PlaylistLine, tag: String, limits: PlaylistLimits) throws(ManifestError) {
        self.line = line
        self.tag = tag
        guard text.utf8.count <= limits.maxAttributeListBytes else {
            throw line.error(.limitExceeded(limit: "maxAttributeListBytes", maximum: limits.maxAttributeListBytes))
        }
        var rest = text
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "=") else { throw line.error(.invalidValue(tag: tag, attribute: nil)) }
            let name = rest[..<equals]
            guard !name.isEmpty, name.utf8.allSatisfy(Self.isNameByte) else {
                throw line.error(.invalidValue(tag: tag, attribute: String(name)))
            }
            rest = rest[rest.index(after: equals)...]
            let value: Substring
            let quoted: Bool
            if rest.first == "\"" {
                let body = rest.dropFirst()
                guard let close = body.firstIndex(of: "\"") else {
                    throw line.error(.invalidValue(tag: tag, attribute: String(name)))
                }
                value = body[..<close]
                quoted = true
                rest = body[body.index(after: close)...]
                guard rest.isEmpty || rest.first == "," else {
                    throw line.error(.invalidValue(tag: tag, attribute: String(name)))
                }
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = rest[..<end]
                quoted = false
                rest = rest[end...]
            }
            if rest.first == "," { rest = rest.dropFirst() }
            guard values[name] == nil else { throw line.error(.duplicateAttribute(tag: tag, attribute: String(name))) }
            guard values.count < limits.maxAttributes else {
                throw line.error(.limitExceeded(limit: "maxAttributes", maximum: limits.maxAttributes))
            }
            values[name] = (value, quoted)
        }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "-")
    }

    private func invalid(_ name: String) -> ManifestError { line.error(.invalidValue(tag: tag, attribute: name)) }

    func require<T>(_ name: String, _ read: (String) throws(ManifestError) -> T?) throws(ManifestError) -> T {
        guard let value = try read(name) else { throw line.error(.missingAttribute(tag: tag, attribute: name)) }
        return value
    }

    /// A quoted-string value.
    func string(_ name: String) throws(ManifestError) -> String? {
        guard let entry = values[Substring(name)] else { return nil }
        guard entry.quoted else { throw invalid(name) }
        return String(entry.value)
    }

    /// An enumerated-string value (unquoted).
    func enumerated(_ name: String) throws(ManifestError) -> Substring? {
        guard let entry = values[Substring(name)] else { return nil }
        guard !entry.quoted, !entry.value.isEmpty else { throw invalid(name) }
        return entry.value
    }

    /// A value that may be either a quoted string or an enumerated string (`CLOSED-CAPTIONS`: a
    /// group or `NONE`).
    func stringOrEnumerated(_ name: String) -> (text: String, quoted: Bool)? {
        values[Substring(name)].map { (text: String($0.value), quoted: $0.quoted) }
    }

    /// An enumerated `YES`/`NO`; absent is `NO`.
    func flag(_ name: String) throws(ManifestError) -> Bool {
        switch try enumerated(name) {
        case nil, "NO": return false
        case "YES": return true
        default: throw invalid(name)
        }
    }

    /// A decimal-integer value.
    func integer(_ name: String) throws(ManifestError) -> Int64? {
        guard let text = try enumerated(name) else { return nil }
        guard let value = DecimalSeconds.decimalDigits(text) else { throw invalid(name) }
        return value
    }

    /// A decimal-floating-point value in seconds, as ticks of `timescale`.
    func seconds(_ name: String, timescale: UInt32) throws(ManifestError) -> MediaTime? {
        guard let text = try enumerated(name) else { return nil }
        guard let value = DecimalSeconds.parse(text, timescale: timescale) else { throw invalid(name) }
        return value
    }
}

/// Builds an attribute list in the order attributes are added.
struct AttributeWriter {
    private(set) var text = ""

    /// Room for a typical attribute list (an `EXT-X-PART` line), so that it is allocated once.
    init(capacity: Int = 96) {
        text.reserveCapacity(capacity)
    }

    private mutating func append(_ name: String, _ rendered: String) {
        start(name)
        text += rendered
    }

    /// `,NAME=` (no comma before the first attribute).
    private mutating func start(_ name: String) {
        if !text.isEmpty { text += "," }
        text += name
        text += "="
    }

    mutating func string(_ name: String, _ value: String?) {
        guard let value else { return }
        start(name)
        text += "\""
        text += value
        text += "\""
    }

    /// `URI="…"`, with `query` appended to the URI when there is one (``URIQuery``).
    mutating func uri(_ value: String?, query: URIQuery?) {
        guard let value else { return }
        start("URI")
        text += "\""
        query.append(value, to: &text)
        text += "\""
    }

    mutating func enumerated(_ name: String, _ value: String?) {
        if let value { append(name, value) }
    }

    mutating func integer<I: BinaryInteger>(_ name: String, _ value: I?) {
        if let value { append(name, String(value)) }
    }

    mutating func seconds(_ name: String, _ value: MediaTime?) {
        if let value { append(name, DecimalSeconds.format(value)) }
    }

    /// Writes `NAME=YES` when `value`, nothing otherwise (absent means `NO`).
    mutating func yes(_ name: String, _ value: Bool) {
        if value { append(name, "YES") }
    }

    /// Writes `NAME=YES` or `NAME=NO`.
    mutating func yesNo(_ name: String, _ value: Bool) {
        append(name, value ? "YES" : "NO")
    }
}
