extension OpenAPIValue {
    /// The value as JSON text (RFC 8259), indented by two spaces.
    var jsonText: String {
        var text = ""
        write(into: &text, indent: "")
        text.append("\n")
        return text
    }

    private func write(into text: inout String, indent: String) {
        let inner = indent + "  "
        switch self {
        case .bool(let value):
            text.append(value ? "true" : "false")
        case .integer(let value):
            text.append(String(value))
        case .number(let value):
            // Every number the document states is a whole one; JSON has no NaN or infinity.
            if let whole = Int64(exactly: value) { text.append(String(whole)) } else { text.append("\(value)") }
        case .string(let value):
            Self.writeString(value, into: &text)
        case .null:
            text.append("null")
        case .schema(let schema):
            let reference: OpenAPIValue = ["$ref": .string("#/components/schemas/\(schema.name)")]
            reference.write(into: &text, indent: indent)
        case .array(let items):
            guard !items.isEmpty else { return text.append("[]") }
            text.append("[\n")
            for (index, item) in items.enumerated() {
                text.append(inner)
                item.write(into: &text, indent: inner)
                text.append(index == items.count - 1 ? "\n" : ",\n")
            }
            text.append(indent + "]")
        case .object(let members):
            guard !members.isEmpty else { return text.append("{}") }
            text.append("{\n")
            for (index, member) in members.enumerated() {
                text.append(inner)
                Self.writeString(member.key, into: &text)
                text.append(": ")
                member.value.write(into: &text, indent: inner)
                text.append(index == members.count - 1 ? "\n" : ",\n")
            }
            text.append(indent + "}")
        }
    }

    /// RFC 8259 §7: the quotation mark, the reverse solidus and the control characters are
    /// escaped; everything else is written as it is, in UTF-8.
    private static func writeString(_ value: String, into text: inout String) {
        text.append("\"")
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text.append("\\\"")
            case "\\": text.append("\\\\")
            case "\n": text.append("\\n")
            case "\r": text.append("\\r")
            case "\t": text.append("\\t")
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        text.append("\"")
    }
}
