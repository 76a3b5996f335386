/// JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1 §4.8.24) as the document writes it.
/// Bounds are given as the named limits they come from (``ControlLimits``), never as copies.
extension OpenAPIValue {
    /// A JSON Schema string.
    static func text(
        _ description: String? = nil, format: String? = nil, pattern: String? = nil, length: ClosedRange<Int>? = nil,
        nullable: Bool = false, default value: String? = nil
    ) -> OpenAPIValue {
        typed("string", nullable: nullable, description, [
            "format": format.map { .string($0) },
            "pattern": pattern.map { .string($0) },
            "minLength": length.map { .integer(Int64($0.lowerBound)) },
            "maxLength": length.map { .integer(Int64($0.upperBound)) },
            "default": value.map { .string($0) },
        ])
    }

    static func integer(
        _ description: String? = nil, format: String? = nil, minimum: Int64? = nil, maximum: Int64? = nil,
        nullable: Bool = false, default value: Int64? = nil
    ) -> OpenAPIValue {
        typed("integer", nullable: nullable, description, [
            "format": format.map { .string($0) },
            "minimum": minimum.map { .integer($0) },
            "maximum": maximum.map { .integer($0) },
            "default": value.map { .integer($0) },
        ])
    }

    static func integer<Bound: BinaryInteger>(
        _ description: String? = nil, format: String? = nil, in range: ClosedRange<Bound>, nullable: Bool = false
    ) -> OpenAPIValue {
        integer(description, format: format, minimum: Int64(range.lowerBound), maximum: Int64(range.upperBound), nullable: nullable)
    }

    static func number(
        _ description: String? = nil, minimum: Double? = nil, maximum: Double? = nil, nullable: Bool = false,
        default value: Double? = nil
    ) -> OpenAPIValue {
        typed("number", nullable: nullable, description, [
            "minimum": minimum.map { .number($0) },
            "maximum": maximum.map { .number($0) },
            "default": value.map { .number($0) },
        ])
    }

    static func boolean(_ description: String? = nil, default value: Bool? = nil) -> OpenAPIValue {
        typed("boolean", nullable: false, description, ["default": value.map { .bool($0) }])
    }

    static func array(
        of items: OpenAPIValue, _ description: String? = nil, minItems: Int? = nil, uniqueItems: Bool = false
    ) -> OpenAPIValue {
        typed("array", nullable: false, description, [
            "items": items,
            "minItems": minItems.map { .integer(Int64($0)) },
            "uniqueItems": uniqueItems ? true : nil,
        ])
    }

    /// A string that is one of `T`'s raw values, in `T`'s order; or `null` when `nullable`
    /// (JSON Schema's `enum` lists every value allowed, so `null` too: draft 2020-12 §6.1.2).
    static func choice<T: CaseIterable & RawRepresentable>(_ type: T.Type, _ description: String? = nil, nullable: Bool = false)
        -> OpenAPIValue where T.RawValue == String
    {
        let values = T.allCases.map { OpenAPIValue.string($0.rawValue) } + (nullable ? [.null] : [])
        return typed("string", nullable: nullable, description, ["enum": .array(values)])
    }

    /// An object the server writes: every property is always present (``Nullable`` writes
    /// `null`), and no other. A `nullable` one may be `null` instead (a nested figure that does
    /// not apply).
    static func representation(
        _ description: String?, nullable: Bool = false, _ properties: KeyValuePairs<String, OpenAPIValue>
    ) -> OpenAPIValue {
        closedObject(description, nullable: nullable, required: properties.map(\.key), properties)
    }

    /// An object a client sends: `required` must be present; any property not listed is refused
    /// (``BodyObject`` reads the list from here).
    static func body(
        _ description: String?, required: [String], _ properties: KeyValuePairs<String, OpenAPIValue>
    ) -> OpenAPIValue {
        closedObject(description, required: required, properties)
    }

    private static func closedObject(
        _ description: String?, nullable: Bool = false, required: [String], _ properties: KeyValuePairs<String, OpenAPIValue>
    ) -> OpenAPIValue {
        .compactObject([
            "type": nullable ? ["object", "null"] as OpenAPIValue : "object",
            "description": description.map { .string($0) },
            "required": .array(required.map { .string($0) }),
            "additionalProperties": false,
            "properties": .object(properties.map { Member(key: $0.key, value: $0.value) }),
        ])
    }

    private static func typed(
        _ type: String, nullable: Bool, _ description: String?, _ members: KeyValuePairs<String, OpenAPIValue?>
    ) -> OpenAPIValue {
        let head: [Member] = [
            Member(key: "type", value: nullable ? [.string(type), "null"] : .string(type)),
        ]
        let tail = members.compactMap { key, value in value.map { Member(key: key, value: $0) } }
        let described = description.map { [Member(key: "description", value: .string($0))] } ?? []
        return .object(head + tail + described)
    }
}
