/// A JSON value of the OpenAPI document. Objects keep their members in the order they are
/// written, so the served document reads in the order of the endpoint table.
indirect enum OpenAPIValue: Sendable {
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    /// JSON's `null`: in the `enum` of a nullable choice.
    case null
    case array([OpenAPIValue])
    case object([Member])
    /// A named schema. It is written as `{"$ref": "#/components/schemas/NAME"}` where it is used,
    /// and once in full under `components/schemas` (``OpenAPIDocument`` collects it).
    case schema(APISchema)

    struct Member: Sendable {
        let key: String
        let value: OpenAPIValue
    }

    /// An object of the members that are not `nil`, in the order given.
    static func compactObject(_ members: KeyValuePairs<String, OpenAPIValue?>) -> OpenAPIValue {
        .object(members.compactMap { key, value in value.map { Member(key: key, value: $0) } })
    }

    /// The member `key` of an object.
    subscript(key: String) -> OpenAPIValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The object with `members` added, each replacing a member of the same key where there is one.
    func merging(_ members: [Member]) -> OpenAPIValue {
        guard case .object(var own) = self else { return self }
        for member in members {
            if let index = own.firstIndex(where: { $0.key == member.key }) {
                own[index] = member
            } else {
                own.append(member)
            }
        }
        return .object(own)
    }

    /// The named schemas this value uses, its own and theirs, each once, in the order first met.
    func schemas(into found: inout [APISchema]) {
        switch self {
        case .schema(let schema):
            if let known = found.first(where: { $0.name == schema.name }) {
                assert(known.value.jsonText == schema.value.jsonText, "two schemas are named \(schema.name)")
                return
            }
            found.append(schema)
            schema.value.schemas(into: &found)
        case .array(let items):
            for item in items { item.schemas(into: &found) }
        case .object(let members):
            for member in members { member.value.schemas(into: &found) }
        case .bool, .integer, .number, .string, .null:
            break
        }
    }
}

extension OpenAPIValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(integerLiteral value: Int64) { self = .integer(value) }
    init(arrayLiteral elements: OpenAPIValue...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, OpenAPIValue)...) {
        self = .object(elements.map { Member(key: $0.0, value: $0.1) })
    }
}
