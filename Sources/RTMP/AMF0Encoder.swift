import NIOCore

extension ByteBuffer {
    /// Writes one AMF0 value (AMF0 spec §2). Returns the number of bytes written.
    @discardableResult
    public mutating func writeAMF0(_ value: AMF0Value) -> Int {
        let start = writerIndex
        switch value {
        case .number(let number):
            writeInteger(AMF0Marker.number.rawValue)
            writeInteger(number.bitPattern)
        case .boolean(let bool):
            writeInteger(AMF0Marker.boolean.rawValue)
            writeInteger(UInt8(bool ? 1 : 0))
        case .string(let string):
            let utf8 = string.utf8
            if utf8.count > Int(UInt16.max) {
                writeInteger(AMF0Marker.longString.rawValue)
                writeInteger(UInt32(utf8.count))
                writeBytes(utf8)
            } else {
                writeInteger(AMF0Marker.string.rawValue)
                writeAMF0ShortString(string)
            }
        case .object(let properties):
            writeInteger(AMF0Marker.object.rawValue)
            writeAMF0Properties(properties)
        case .null:
            writeInteger(AMF0Marker.null.rawValue)
        case .undefined:
            writeInteger(AMF0Marker.undefined.rawValue)
        case .ecmaArray(let properties):
            writeInteger(AMF0Marker.ecmaArray.rawValue)
            writeInteger(UInt32(properties.count))
            writeAMF0Properties(properties)
        case .strictArray(let elements):
            writeInteger(AMF0Marker.strictArray.rawValue)
            writeInteger(UInt32(elements.count))
            for element in elements { writeAMF0(element) }
        case .date(let milliseconds, let timeZone):
            writeInteger(AMF0Marker.date.rawValue)
            writeInteger(milliseconds.bitPattern)
            writeInteger(timeZone)
        }
        return writerIndex - start
    }

    /// Writes a sequence of AMF0 values back to back (a command or data message body).
    public mutating func writeAMF0(_ values: [AMF0Value]) {
        for value in values { writeAMF0(value) }
    }

    /// A 16-bit length-prefixed UTF-8 string, used for property keys (AMF0 spec §1.3). Keys longer
    /// than 65 535 bytes are truncated at a character boundary; no RTMP key comes near that.
    mutating func writeAMF0ShortString(_ string: String) {
        var utf8 = Array(string.utf8)
        if utf8.count > Int(UInt16.max) {
            utf8 = Array(utf8.prefix(Int(UInt16.max)))
            while let last = utf8.last, last & 0xC0 == 0x80 { utf8.removeLast() }
            if let last = utf8.last, last >= 0xC0 { utf8.removeLast() }
        }
        writeInteger(UInt16(utf8.count))
        writeBytes(utf8)
    }

    private mutating func writeAMF0Properties(_ properties: [AMF0Property]) {
        for property in properties {
            writeAMF0ShortString(property.key)
            writeAMF0(property.value)
        }
        // Object end: an empty key then the object end marker (AMF0 spec §2.11).
        writeInteger(UInt16(0))
        writeInteger(AMF0Marker.objectEnd.rawValue)
    }
}
