import Foundation

extension APIError {
    /// The answer for whatever a handler threw. Store errors map one to one (see the table in
    /// `Control.md`); decoding errors become 400 with the JSON path of the fault; anything else is
    /// a 500 whose details stay in the server log.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as ControlError:
            return from(error)
        case let error as DecodingError:
            return from(error)
        default:
            return .internalError()
        }
    }

    static func from(_ error: ControlError) -> APIError {
        switch error {
        case .notFound(let what):
            return .notFound("\(what) not found")
        case .conflict(let reason):
            return APIError(.conflict, .conflict, reason)
        case .invalid(let field, let reason):
            return .invalid(field: APIFieldName.wire(field), reason: reason)
        case .limitExceeded(let what, let limit):
            return APIError(.conflict, .conflict, "\(what): the limit of \(limit) is reached")
        case .forbidden(let reason):
            return .forbidden(reason)
        case .database:
            return .internalError("the control database failed; the server log has the details")
        }
    }

    static func from(_ error: DecodingError) -> APIError {
        switch error {
        case .typeMismatch(let type, let context):
            let path = APIFieldName.path(context.codingPath)
            return .invalid("\(path ?? "body"): expected \(describe(type))", field: path)
        case .valueNotFound(let type, let context):
            let path = APIFieldName.path(context.codingPath)
            return .invalid("\(path ?? "body"): expected \(describe(type)), not null", field: path)
        case .keyNotFound(let key, let context):
            let path = APIFieldName.path(context.codingPath + [key])
            return .invalid("\(path ?? key.stringValue): required", field: path)
        case .dataCorrupted(let context):
            guard let path = APIFieldName.path(context.codingPath) else {
                return .invalid("the body is not valid JSON: \(context.debugDescription)")
            }
            return .invalid("\(path): \(context.debugDescription)", field: path)
        @unknown default:
            return .invalid("the body could not be decoded")
        }
    }

    /// "a string", "an integer"... for a type the decoder expected.
    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "\(type)".contains("Dictionary") || "\(type)".contains("Keyed") ? "an object" : "a value of another type"
        }
    }
}

/// Field names as the API spells them.
enum APIFieldName {
    /// The store names fields after its Swift properties; the API spells an acronym as a word
    /// (`organisationId`, `posterUrl`).
    static func wire(_ storeField: String) -> String {
        switch storeField {
        case "posterURL": "posterUrl"
        case "organisationID": "organisationId"
        default: storeField
        }
    }

    /// `archive.retentionSeconds`, `events[1]`; `nil` for the body itself.
    static func path(_ codingPath: [any CodingKey]) -> String? {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text.isEmpty ? nil : text
    }
}
