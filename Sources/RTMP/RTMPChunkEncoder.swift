import NIOCore

/// Splits outbound messages into chunks (RTMP spec §5.3).
///
/// Each message starts with a type 0 header and continues with type 3 headers, repeating the
/// extended timestamp when there is one (§5.3.1.3). Sending Set Chunk Size switches the encoder to
/// the new size for every later message, as the peer's decoder will (§5.4.1).
public struct RTMPChunkEncoder: Sendable {
    public private(set) var chunkSize: Int

    public init(chunkSize: Int = RTMPChunkParser.defaultChunkSize) {
        precondition(chunkSize >= 1 && chunkSize <= Int(RTMPChunkParser.largestLegalChunkSize))
        self.chunkSize = chunkSize
    }

    public mutating func encode(_ message: RTMPMessage, into out: inout ByteBuffer) {
        let extended = message.timestamp >= RTMPChunkParser.extendedTimestampMarker
        var payload = message.payload
        var first = true
        repeat {
            writeBasicHeader(format: first ? 0 : 3, chunkStreamID: message.chunkStreamID, into: &out)
            if first {
                out.writeUInt24(extended ? RTMPChunkParser.extendedTimestampMarker : message.timestamp)
                out.writeUInt24(UInt32(message.payload.readableBytes))
                out.writeInteger(message.typeID.rawValue)
                out.writeInteger(message.messageStreamID, endianness: .little)
            }
            if extended { out.writeInteger(message.timestamp) }
            var chunk = payload.readSlice(length: min(chunkSize, payload.readableBytes))!
            out.writeBuffer(&chunk)
            first = false
        } while payload.readableBytes > 0

        if message.typeID == .setChunkSize, let size = message.payload.getInteger(at: message.payload.readerIndex, as: UInt32.self),
           size >= 1, size <= RTMPChunkParser.largestLegalChunkSize {
            chunkSize = Int(size)
        }
    }

    /// The basic header in its 1-, 2- or 3-byte form (§5.3.1.1).
    private func writeBasicHeader(format: UInt8, chunkStreamID: UInt32, into out: inout ByteBuffer) {
        precondition(chunkStreamID >= 2 && chunkStreamID <= 65_599, "chunk stream id out of range")
        switch chunkStreamID {
        case 2...63:
            out.writeInteger(format << 6 | UInt8(chunkStreamID))
        case 64...319:
            out.writeInteger(format << 6)
            out.writeInteger(UInt8(chunkStreamID - 64))
        default:
            out.writeInteger(format << 6 | 1)
            let value = chunkStreamID - 64
            out.writeInteger(UInt8(value & 0xFF))
            out.writeInteger(UInt8(value >> 8))
        }
    }
}
