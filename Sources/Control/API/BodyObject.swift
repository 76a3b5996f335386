import Foundation

/// A JSON object in a request body, read strictly: a field the API does not know is an error
/// (a typo such as `posterURL` for `posterUrl` must not be silently ignored), `null` is refused
/// where a field cannot be null, and every complaint names the field by its path.
struct BodyObject {
    private let container: KeyedDecodingContainer<BodyKey>
    private let codingPath: [any CodingKey]

    /// Reads an object of `schema`: the fields it accepts are the schema's properties.
    init(_ decoder: any Decoder, schema: APISchema) throws {
        let fields = schema.propertyNames
        container = try decoder.container(keyedBy: BodyKey.self)
        codingPath = decoder.codingPath
        // Sorted, so the error names the same field on every run.
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !fields.contains($0) }) {
            // The name is echoed back; a hostile one could be as long as the body.
            let field = path(String(unknown.prefix(100)))
            throw APIError.invalid(
                field: field, reason: "unknown field (expected one of: \(fields.sorted().joined(separator: ", ")))"
            )
        }
    }

    /// The field's path from the body's root, as errors spell it.
    func path(_ key: String) -> String {
        APIFieldName.path(codingPath + [BodyKey(key)]) ?? key
    }

    /// A field that must be present and not null.
    func required<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
        guard let value = try optional(type, key) else {
            throw APIError.invalid(field: path(key), reason: "required")
        }
        return value
    }

    /// A field that may be absent (`nil`), but not null.
    func optional<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? {
        let codingKey = BodyKey(key)
        guard container.contains(codingKey) else { return nil }
        if try container.decodeNil(forKey: codingKey) {
            throw APIError.invalid(field: path(key), reason: "must not be null")
        }
        return try decode(type, codingKey)
    }

    /// A field that may be absent (`nil`), null (`.some(nil)`: clear it) or a value.
    func nullable<T: Decodable>(_ type: T.Type, _ key: String) throws -> T?? {
        let codingKey = BodyKey(key)
        guard container.contains(codingKey) else { return nil }
        if try container.decodeNil(forKey: codingKey) { return .some(nil) }
        return .some(try decode(type, codingKey))
    }

    private func decode<T: Decodable>(_ type: T.Type, _ key: BodyKey) throws -> T {
        do {
            return try container.decode(type, forKey: key)
        } catch let error as DecodingError {
            throw error
        } catch let error as APIError {
            throw error
        } catch {
            // Foundation's JSONDecoder throws its own error for a number it cannot represent
            // (1.5 or 1e30 for an integer) and turns it into a path-less "not valid JSON" at the
            // top. The syntax was checked before any field is decoded, so the fault is this value.
            throw APIError.invalid(field: path(key.stringValue), reason: "expected \(APIError.describe(type)) within range")
        }
    }

    /// A string field holding an id.
    func uuid(_ key: String) throws -> UUID? {
        guard let text = try optional(String.self, key) else { return nil }
        guard let id = UUID(uuidString: text) else {
            throw APIError.invalid(field: path(key), reason: "must be a UUID")
        }
        return id
    }

    /// A string field holding an RFC 3339 date-time.
    func date(_ key: String) throws -> Date? {
        guard let text = try optional(String.self, key) else { return nil }
        guard let date = APIDate.parse(text) else {
            throw APIError.invalid(field: path(key), reason: "must be an RFC 3339 date-time such as \(APIDate.example)")
        }
        return date
    }

    /// A string field holding one of `T`'s raw values.
    func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ key: String) throws -> T? where T.RawValue == String {
        guard let text = try optional(String.self, key) else { return nil }
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError.invalid(field: path(key), reason: "must be one of: \(allowed)")
        }
        return value
    }
}

/// Any JSON object key.
struct BodyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
