/// A schema the document lists under `components/schemas`, by name, and refers to wherever it is
/// used (``OpenAPIValue/schema(_:)``).
struct APISchema: Sendable {
    let name: String
    let value: OpenAPIValue

    init(_ name: String, _ value: OpenAPIValue) {
        self.name = name
        self.value = value
    }

    /// Where it is used: a reference.
    var reference: OpenAPIValue { .schema(self) }

    /// The names of the properties of an object schema.
    var propertyNames: Set<String> {
        guard case .object(let members)? = value["properties"] else { return [] }
        return Set(members.map(\.key))
    }

    /// A schema of the same object with more properties, all required (the `Created*` answers: a
    /// record and its secret).
    func extended(as name: String, _ description: String, _ properties: KeyValuePairs<String, OpenAPIValue>) -> APISchema {
        guard case .array(let required)? = value["required"], case .object(let own)? = value["properties"] else {
            preconditionFailure("\(self.name) is not an object schema")
        }
        let added = properties.map { OpenAPIValue.Member(key: $0.key, value: $0.value) }
        return APISchema(name, value.merging([
            .init(key: "description", value: .string(description)),
            .init(key: "required", value: .array(required + properties.map { .string($0.key) })),
            .init(key: "properties", value: .object(own + added)),
        ]))
    }
}
