import RTMP

extension MetadataValue {
    /// Flattens an `onMetaData` object or ECMA array (FLV spec E.5) to the scalar properties a
    /// packager may use. Nested and non-scalar values are dropped; the first of duplicate keys wins.
    static func flatten(_ value: AMF0Value) -> [String: MetadataValue] {
        var result: [String: MetadataValue] = [:]
        for property in value.properties ?? [] where result[property.key] == nil {
            switch property.value {
            case .number(let number): result[property.key] = .number(number)
            case .string(let string): result[property.key] = .string(string)
            case .boolean(let bool): result[property.key] = .bool(bool)
            default: break
            }
        }
        return result
    }
}
