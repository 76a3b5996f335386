/// One AMF0 value (Action Message Format 0 spec, §2.1-§2.17). Objects and ECMA arrays keep
/// their property order, because encoders and tests compare bytes.
public enum AMF0Value: Sendable, Hashable {
    /// §2.2 number marker: an IEEE-754 double.
    case number(Double)
    /// §2.3 boolean marker.
    case boolean(Bool)
    /// §2.4 string marker, or §2.14 long string marker when decoding. Encodes as a long string
    /// when its UTF-8 form is longer than 65 535 bytes.
    case string(String)
    /// §2.5 anonymous object, terminated by an object end marker (§2.11).
    case object([AMF0Property])
    /// §2.7 null marker.
    case null
    /// §2.8 undefined marker.
    case undefined
    /// §2.10 ECMA array: an associative array with a (hint only) count.
    case ecmaArray([AMF0Property])
    /// §2.12 strict array: dense, counted.
    case strictArray([AMF0Value])
    /// §2.13 date: milliseconds since the Unix epoch and a (reserved, ignored) time zone.
    case date(millisecondsSinceEpoch: Double, timeZone: Int16)

    /// The properties of an object or ECMA array, nil for any other value.
    public var properties: [AMF0Property]? {
        switch self {
        case .object(let properties), .ecmaArray(let properties): return properties
        default: return nil
        }
    }

    /// The first property named `key` of an object or ECMA array.
    public subscript(key: String) -> AMF0Value? {
        properties?.first(where: { $0.key == key })?.value
    }

    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let number) = self { return number }
        return nil
    }
}

/// One key/value pair of an AMF0 object or ECMA array (AMF0 spec §2.5, §2.10).
public struct AMF0Property: Sendable, Hashable {
    public var key: String
    public var value: AMF0Value

    public init(_ key: String, _ value: AMF0Value) {
        self.key = key
        self.value = value
    }
}

/// AMF0 type markers (AMF0 spec §2.1).
enum AMF0Marker: UInt8 {
    case number = 0x00
    case boolean = 0x01
    case string = 0x02
    case object = 0x03
    case movieClip = 0x04
    case null = 0x05
    case undefined = 0x06
    case reference = 0x07
    case ecmaArray = 0x08
    case objectEnd = 0x09
    case strictArray = 0x0A
    case date = 0x0B
    case longString = 0x0C
    case unsupported = 0x0D
    case recordSet = 0x0E
    case xmlDocument = 0x0F
    case typedObject = 0x10
    case avmPlusObject = 0x11
}
