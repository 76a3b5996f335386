import Foundation
import NIOCore
import Testing
@testable import RTMP

/// Reads a committed vector from Tests/RTMPTests/Vectors.
func vector(_ name: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: "Vectors/\(name)", withExtension: nil))
    return Array(try Data(contentsOf: url))
}

/// Builds chunks by hand, header field by header field (RTMP spec §5.3.1).
struct ChunkWriter {
    var buffer = ByteBuffer()

    mutating func basicHeader(format: UInt8, csid: UInt32) {
        switch csid {
        case 2...63: buffer.writeInteger(format << 6 | UInt8(csid))
        case 64...319: buffer.writeInteger(format << 6); buffer.writeInteger(UInt8(csid - 64))
        default:
            buffer.writeInteger(format << 6 | 1)
            buffer.writeInteger(UInt8((csid - 64) & 0xFF))
            buffer.writeInteger(UInt8((csid - 64) >> 8))
        }
    }

    mutating func uint24(_ value: UInt32) { buffer.writeUInt24(value) }

    mutating func type0(csid: UInt32, timestamp: UInt32, length: Int, type: UInt8, streamID: UInt32, extended: UInt32? = nil) {
        basicHeader(format: 0, csid: csid)
        uint24(extended == nil ? timestamp : 0xFFFFFF)
        uint24(UInt32(length))
        buffer.writeInteger(type)
        buffer.writeInteger(streamID, endianness: .little)
        if let extended { buffer.writeInteger(extended) }
    }

    mutating func type1(csid: UInt32, delta: UInt32, length: Int, type: UInt8) {
        basicHeader(format: 1, csid: csid)
        uint24(delta)
        uint24(UInt32(length))
        buffer.writeInteger(type)
    }

    mutating func type2(csid: UInt32, delta: UInt32) {
        basicHeader(format: 2, csid: csid)
        uint24(delta)
    }

    mutating func type3(csid: UInt32, extended: UInt32? = nil) {
        basicHeader(format: 3, csid: csid)
        if let extended { buffer.writeInteger(extended) }
    }

    mutating func bytes(_ bytes: [UInt8]) { buffer.writeBytes(bytes) }
}

func payload(_ count: Int, seed: UInt8 = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &+ Int(seed)) }
}

func message(csid: UInt32, type: RTMPMessageType, timestamp: UInt32, streamID: UInt32 = 1, bytes: [UInt8]) -> RTMPMessage {
    RTMPMessage(chunkStreamID: csid, typeID: type, timestamp: timestamp, messageStreamID: streamID, payload: ByteBuffer(bytes: bytes))
}

/// Runs the parser over a whole buffer and returns every message.
func decodeAll(_ buffer: ByteBuffer, limits: RTMPLimits = .default) throws -> [RTMPMessage] {
    var buffer = buffer
    var decoder = RTMPChunkDecoder(limits: limits)
    var messages: [RTMPMessage] = []
    while let message = try decoder.decode(buffer: &buffer) { messages.append(message) }
    return messages
}
