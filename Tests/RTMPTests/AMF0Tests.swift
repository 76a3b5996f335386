import NIOCore
import Testing
@testable import RTMP

/// One case table shared by the decode and encode tests (AMF0 spec §2).
let amf0Cases: [(name: String, value: AMF0Value, bytes: [UInt8])] = [
    ("number", .number(1), [0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0]),
    ("boolean true", .boolean(true), [0x01, 0x01]),
    ("boolean false", .boolean(false), [0x01, 0x00]),
    ("string", .string("live"), [0x02, 0x00, 0x04, 0x6C, 0x69, 0x76, 0x65]),
    ("empty string", .string(""), [0x02, 0x00, 0x00]),
    ("null", .null, [0x05]),
    ("undefined", .undefined, [0x06]),
    ("object", .object([AMF0Property("a", .number(0))]),
     [0x03, 0x00, 0x01, 0x61, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x09]),
    ("empty object", .object([]), [0x03, 0x00, 0x00, 0x09]),
    ("ECMA array", .ecmaArray([AMF0Property("w", .boolean(true))]),
     [0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x77, 0x01, 0x01, 0x00, 0x00, 0x09]),
    ("strict array", .strictArray([.null, .string("x")]),
     [0x0A, 0x00, 0x00, 0x00, 0x02, 0x05, 0x02, 0x00, 0x01, 0x78]),
    ("date", .date(millisecondsSinceEpoch: 0, timeZone: 0), [0x0B, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00]),
]

@Suite struct AMF0Tests {
    @Test(arguments: amf0Cases.indices)
    func decodesCase(_ index: Int) throws {
        let (name, value, bytes) = amf0Cases[index]
        let decoded = try AMF0Decoder.decodeAll(ByteBuffer(bytes: bytes))
        #expect(decoded == [value], "\(name)")
    }

    @Test(arguments: amf0Cases.indices)
    func encodesCase(_ index: Int) {
        let (name, value, bytes) = amf0Cases[index]
        var buffer = ByteBuffer()
        buffer.writeAMF0(value)
        #expect(Array(buffer.readableBytesView) == bytes, "\(name)")
    }

    @Test func longStringRoundTrips() throws {
        let long = String(repeating: "é", count: 40_000) // 80 000 UTF-8 bytes
        var buffer = ByteBuffer()
        buffer.writeAMF0(.string(long))
        #expect(buffer.getInteger(at: 0, as: UInt8.self) == 0x0C)
        #expect(buffer.getInteger(at: 1, as: UInt32.self) == 80_000)
        #expect(try AMF0Decoder.decodeAll(buffer) == [.string(long)])
    }

    @Test func nestedRoundTrip() throws {
        let value: AMF0Value = .object([
            AMF0Property("app", .string("live")),
            AMF0Property("fourCcList", .strictArray([.string("av01"), .string("hvc1")])),
            AMF0Property("nested", .ecmaArray([AMF0Property("n", .number(-2.5)), AMF0Property("u", .undefined)])),
        ])
        var buffer = ByteBuffer()
        buffer.writeAMF0([value, .null, .number(3)])
        #expect(try AMF0Decoder.decodeAll(buffer) == [value, .null, .number(3)])
    }

    @Test func rejectsDeepNesting() {
        var limits = AMF0Limits()
        limits.maximumDepth = 4
        var value = AMF0Value.null
        for _ in 0..<5 { value = .object([AMF0Property("k", value)]) }
        var buffer = ByteBuffer()
        buffer.writeAMF0(value)
        #expect(throws: RTMPError.amf0TooDeep(limit: 4)) { try AMF0Decoder.decodeAll(buffer, limits: limits) }

        var arrays = AMF0Value.null
        for _ in 0..<5 { arrays = .strictArray([arrays]) }
        buffer.clear()
        buffer.writeAMF0(arrays)
        #expect(throws: RTMPError.amf0TooDeep(limit: 4)) { try AMF0Decoder.decodeAll(buffer, limits: limits) }
    }

    @Test func rejectsTooManyValues() throws {
        var limits = AMF0Limits()
        limits.maximumValueCount = 10
        let buffer = ByteBuffer(bytes: [UInt8](repeating: 0x05, count: 11))
        #expect(throws: RTMPError.amf0TooManyValues(limit: 10)) { try AMF0Decoder.decodeAll(buffer, limits: limits) }
        #expect(try AMF0Decoder.decodeAll(ByteBuffer(bytes: [UInt8](repeating: 0x05, count: 10)), limits: limits).count == 10)
    }

    @Test func rejectsMalformedInput() {
        let malformed: [[UInt8]] = [
            [0x00, 0x3F],                         // truncated number
            [0x02, 0x00, 0x05, 0x61],             // string runs past the end
            [0x02, 0x00, 0x01, 0xFF],             // invalid UTF-8
            [0x03, 0x00, 0x01, 0x61, 0x05],       // object without end marker
            [0x09],                               // stray object end
            [0x11, 0x00],                         // AMF3 switch is not AMF0
            [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x05], // strict array count beyond the message
            [0xEE],                               // unknown marker
        ]
        for bytes in malformed {
            #expect(throws: RTMPError.self, "\(bytes)") { try AMF0Decoder.decodeAll(ByteBuffer(bytes: bytes)) }
        }
    }

    @Test func failedDecodeLeavesReaderIndex() {
        var buffer = ByteBuffer(bytes: [0x05, 0x02, 0x00, 0x09, 0x61])
        var decoder = AMF0Decoder()
        #expect(throws: Never.self) { _ = try decoder.decodeValue(from: &buffer) }
        #expect(throws: RTMPError.self) { _ = try decoder.decodeValue(from: &buffer) }
        #expect(buffer.readerIndex == 1)
    }
}
