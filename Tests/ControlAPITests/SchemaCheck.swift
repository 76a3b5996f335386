@testable import Control
import Foundation
import HTTPTypes
import Testing

/// The OpenAPI document, parsed.
let openAPIDocument: JSON = {
    do {
        return try JSON.parse(Data(ControlAPI.document.text.utf8))
    } catch {
        Issue.record("the OpenAPI document is not JSON: \(error)")
        return .null
    }
}()

/// A loose check of a value against a schema of the OpenAPI document: `$ref`, `allOf` (every part
/// applies on its own, as in JSON Schema), `type` (one or several), `enum`, `required`,
/// `properties`, `additionalProperties: false` (every key present must be documented) and `items`.
/// Returns the problems found, each with its JSON path.
func schemaProblems(_ value: JSON, _ schema: JSON, path: String = "$") -> [String] {
    if let reference = schema["$ref"].string {
        let prefix = "#/components/schemas/"
        guard reference.hasPrefix(prefix) else { return ["\(path): unsupported $ref \(reference)"] }
        let target = openAPIDocument["components"]["schemas"][String(reference.dropFirst(prefix.count))]
        guard !target.isNull else { return ["\(path): dangling $ref \(reference)"] }
        return schemaProblems(value, target, path: path)
    }
    var problems: [String] = []
    if let parts = schema["allOf"].array {
        // As in any JSON Schema validator, a part with `additionalProperties: false` refuses the
        // keys the other parts add (schemathesis found `Created*` answers failing that way).
        for part in parts {
            problems += schemaProblems(value, part, path: path)
        }
        return problems
    }
    let types: [String] =
        if let one = schema["type"].string { [one] } else { schema["type"].array?.compactMap(\.string) ?? [] }
    if !types.isEmpty, !types.contains(where: { matches(value, type: $0) }) {
        return ["\(path): \(value) is not \(types.joined(separator: " | "))"]
    }
    if let allowed = schema["enum"].array, !allowed.contains(value) {
        problems.append("\(path): \(value) is not one of \(allowed)")
    }
    if let object = value.object {
        for key in schema["required"].array?.compactMap(\.string) ?? [] where object[key] == nil {
            problems.append("\(path).\(key): required but missing")
        }
        let properties = schema["properties"].object ?? [:]
        for (key, item) in object {
            if let property = properties[key] {
                problems += schemaProblems(item, property, path: "\(path).\(key)")
            } else if schema["additionalProperties"] == .bool(false) {
                problems.append("\(path).\(key): is not documented")
            }
        }
    }
    if let array = value.array, !schema["items"].isNull {
        for (index, item) in array.enumerated() {
            problems += schemaProblems(item, schema["items"], path: "\(path)[\(index)]")
        }
    }
    return problems
}

private func matches(_ value: JSON, type: String) -> Bool {
    switch (type, value) {
    case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array), ("object", .object):
        true
    case ("integer", .number(let number)):
        number.rounded() == number
    default:
        false
    }
}

/// Expects `value` to match the document's schema `name`.
func expectConforms(_ value: JSON, to name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let schema = openAPIDocument["components"]["schemas"][name]
    #expect(!schema.isNull, "no schema \(name)", sourceLocation: sourceLocation)
    let problems = schemaProblems(value, schema)
    #expect(problems.isEmpty, "\(name): \(problems.joined(separator: "; "))", sourceLocation: sourceLocation)
}

/// The problems of an answer against the operation the document gives for `method` on `uri`
/// (`/api/v1/...`, a query allowed): its status must be one the operation lists, and its JSON body
/// must match that response's schema. A request the document has no operation for (an unknown
/// route, a method a path does not have, HEAD) has none: the router answers it.
func documentedProblems(_ method: HTTPRequest.Method, _ uri: String, status: Int, json: JSON) -> [String] {
    let prefix = openAPIDocument["servers"][0]["url"].string ?? ""
    let path = String(uri.prefix { $0 != "?" })
    guard path.hasPrefix(prefix) else { return [] }
    let segments = path.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false)
    let paths = openAPIDocument["paths"].object ?? [:]
    let template = paths.keys.first { template in
        let parts = template.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == segments.count && zip(parts, segments).allSatisfy { $0 == "{id}" || $0 == $1 }
    }
    guard let template, let operation = paths[template]?[method.rawValue.lowercased()], !operation.isNull else { return [] }
    let name = "\(method.rawValue) \(template)"
    var response = operation["responses"][String(status)]
    guard !response.isNull else { return ["\(name): \(status) is not documented"] }
    if let reference = response["$ref"].string {
        response = openAPIDocument["components"]["responses"][String(reference.split(separator: "/").last ?? "")]
    }
    let schema = response["content"]["application/json"]["schema"]
    guard !schema.isNull else {
        return json.isNull ? [] : ["\(name) \(status): a body where the document has none"]
    }
    return schemaProblems(json, schema).map { "\(name) \(status): \($0)" }
}
