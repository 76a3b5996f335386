import NIOCore

/// Decodes AMF0 values (AMF0 spec §2) from a buffer, within ``AMF0Limits``.
///
/// Decoding is all-or-nothing per value: on error the reader index is where the bad value began.
public struct AMF0Decoder {
    public let limits: AMF0Limits
    private var valueCount = 0

    public init(limits: AMF0Limits = .default) {
        self.limits = limits
    }

    /// Decodes every value until the buffer is empty (a command or data message body, RTMP spec §7.1).
    public static func decodeAll(_ buffer: ByteBuffer, limits: AMF0Limits = .default) throws(RTMPError) -> [AMF0Value] {
        var buffer = buffer
        var decoder = AMF0Decoder(limits: limits)
        var values: [AMF0Value] = []
        while buffer.readableBytes > 0 {
            values.append(try decoder.decodeValue(from: &buffer))
        }
        return values
    }

    /// Decodes one value.
    public mutating func decodeValue(from buffer: inout ByteBuffer) throws(RTMPError) -> AMF0Value {
        let start = buffer.readerIndex
        do {
            return try decodeValue(from: &buffer, depth: 0)
        } catch {
            buffer.moveReaderIndex(to: start)
            throw error
        }
    }

    private mutating func count() throws(RTMPError) {
        valueCount += 1
        if valueCount > limits.maximumValueCount { throw .amf0TooManyValues(limit: limits.maximumValueCount) }
    }

    private mutating func decodeValue(from buffer: inout ByteBuffer, depth: Int) throws(RTMPError) -> AMF0Value {
        try count()
        guard let rawMarker = buffer.readInteger(as: UInt8.self) else { throw .invalidAMF0("missing type marker") }
        guard let marker = AMF0Marker(rawValue: rawMarker) else {
            throw .invalidAMF0("unknown type marker 0x\(String(rawMarker, radix: 16))")
        }
        switch marker {
        case .number:
            guard let bits = buffer.readInteger(as: UInt64.self) else { throw .invalidAMF0("truncated number") }
            return .number(Double(bitPattern: bits))
        case .boolean:
            guard let byte = buffer.readInteger(as: UInt8.self) else { throw .invalidAMF0("truncated boolean") }
            return .boolean(byte != 0)
        case .string:
            return .string(try Self.readShortString(from: &buffer))
        case .longString:
            guard let length = buffer.readInteger(as: UInt32.self) else { throw .invalidAMF0("truncated long string length") }
            return .string(try Self.readUTF8(from: &buffer, length: Int(length)))
        case .object:
            return .object(try decodeProperties(from: &buffer, depth: depth + 1))
        case .ecmaArray:
            guard buffer.readInteger(as: UInt32.self) != nil else { throw .invalidAMF0("truncated ECMA array count") }
            return .ecmaArray(try decodeProperties(from: &buffer, depth: depth + 1))
        case .strictArray:
            guard depth + 1 <= limits.maximumDepth else { throw .amf0TooDeep(limit: limits.maximumDepth) }
            guard let count = buffer.readInteger(as: UInt32.self) else { throw .invalidAMF0("truncated strict array count") }
            // Every element takes at least one byte: a count beyond the remaining bytes is a lie.
            guard Int(count) <= buffer.readableBytes else { throw .invalidAMF0("strict array count \(count) exceeds the message") }
            var elements: [AMF0Value] = []
            for _ in 0..<count {
                elements.append(try decodeValue(from: &buffer, depth: depth + 1))
            }
            return .strictArray(elements)
        case .null:
            return .null
        case .undefined:
            return .undefined
        case .date:
            guard let bits = buffer.readInteger(as: UInt64.self), let zone = buffer.readInteger(as: Int16.self) else {
                throw .invalidAMF0("truncated date")
            }
            return .date(millisecondsSinceEpoch: Double(bitPattern: bits), timeZone: zone)
        case .objectEnd:
            throw .invalidAMF0("object end marker outside an object")
        case .movieClip, .reference, .unsupported, .recordSet, .xmlDocument, .typedObject, .avmPlusObject:
            throw .invalidAMF0("unsupported type marker 0x\(String(rawMarker, radix: 16))")
        }
    }

    /// Reads properties up to and including the object end marker (AMF0 spec §2.5, §2.11).
    private mutating func decodeProperties(from buffer: inout ByteBuffer, depth: Int) throws(RTMPError) -> [AMF0Property] {
        guard depth <= limits.maximumDepth else { throw .amf0TooDeep(limit: limits.maximumDepth) }
        var properties: [AMF0Property] = []
        while true {
            let key = try Self.readShortString(from: &buffer)
            if key.isEmpty, buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) == AMF0Marker.objectEnd.rawValue {
                buffer.moveReaderIndex(forwardBy: 1)
                return properties
            }
            properties.append(AMF0Property(key, try decodeValue(from: &buffer, depth: depth)))
        }
    }

    /// A UTF-8 string with a 16-bit length (AMF0 spec §1.3 UTF-8).
    static func readShortString(from buffer: inout ByteBuffer) throws(RTMPError) -> String {
        guard let length = buffer.readInteger(as: UInt16.self) else { throw .invalidAMF0("truncated string length") }
        return try readUTF8(from: &buffer, length: Int(length))
    }

    private static func readUTF8(from buffer: inout ByteBuffer, length: Int) throws(RTMPError) -> String {
        guard let bytes = buffer.readBytes(length: length) else { throw .invalidAMF0("string of \(length) bytes runs past the message") }
        guard let string = String(validating: bytes, as: UTF8.self) else { throw .invalidAMF0("string is not valid UTF-8") }
        return string
    }
}
