import NIOCore

/// Reassembles RTMP messages from chunks (RTMP spec §5.3), one chunk per step.
///
/// It handles the three basic header forms (§5.3.1.1), message header types 0-3 (§5.3.1.2),
/// extended timestamps (§5.3.1.3, also on type 3 chunks as ffmpeg and librtmp send them),
/// interleaved chunk streams and Set Chunk Size / Abort (§5.4.1, §5.4.2), which it applies itself
/// because they change how the very next chunk is read. Every size it reads is checked against
/// ``RTMPLimits``. A step either consumes one whole chunk or nothing.
public struct RTMPChunkParser: Sendable {
    /// The result of one step.
    public enum ParseResult: Sendable, Equatable {
        /// The buffer does not hold a whole chunk yet.
        case needMoreData
        /// A chunk was consumed; its message is not complete yet.
        case continueParsing
        /// A chunk completed this message.
        case message(RTMPMessage)
    }

    /// The state one chunk stream keeps between chunks: the last header, for compressed headers.
    struct ChunkStream: Sendable {
        var timestamp: UInt32 = 0
        /// The last timestamp field read: absolute after type 0, a delta after type 1 or 2. A type 3
        /// chunk that starts a new message adds it again (§5.3.1.2.4).
        var timestampField: UInt32 = 0
        var hasExtendedTimestamp = false
        var messageLength = 0
        var typeID: UInt8 = 0
        var messageStreamID: UInt32 = 0
        /// The part of the current message received so far; nil between messages.
        var payload: ByteBuffer?
    }

    /// The default chunk size until the peer sends Set Chunk Size (RTMP spec §5.4.1).
    public static let defaultChunkSize = 128
    /// Set Chunk Size values must fit in 31 bits (RTMP spec §5.4.1).
    static let largestLegalChunkSize: UInt32 = 0x7FFF_FFFF
    /// A 24-bit timestamp field of all ones announces an extended timestamp (RTMP spec §5.3.1.3).
    static let extendedTimestampMarker: UInt32 = 0xFF_FFFF
    /// Capacity reserved for a message when its first chunk arrives, so that most messages are
    /// reassembled without growing their buffer: a whole video frame at a few Mbit/s (key frames are
    /// larger and grow it once or twice). At most one message per chunk stream is open, so with the
    /// default ``RTMPLimits/maximumChunkStreams`` a peer that announces long messages and stops
    /// sending holds at most 64 x 64 KiB = 4 MiB of reservations; the bytes actually received stay
    /// counted against ``RTMPLimits/maximumBufferedBytes``.
    static let reassemblyReservation = 64 << 10

    public let limits: RTMPLimits
    public private(set) var chunkSize = RTMPChunkParser.defaultChunkSize
    private var chunkStreams: [UInt32: ChunkStream] = [:]
    private var bufferedBytes = 0

    public init(limits: RTMPLimits = .default) {
        self.limits = limits
    }

    /// Consumes at most one chunk from `buffer`.
    public mutating func parse(_ buffer: inout ByteBuffer) throws(RTMPError) -> ParseResult {
        let start = buffer.readerIndex
        do {
            let result = try parseChunk(&buffer)
            if case .needMoreData = result { buffer.moveReaderIndex(to: start) }
            return result
        } catch {
            buffer.moveReaderIndex(to: start)
            throw error
        }
    }

    private mutating func parseChunk(_ buffer: inout ByteBuffer) throws(RTMPError) -> ParseResult {
        // Basic header (§5.3.1.1).
        guard let first = buffer.readInteger(as: UInt8.self) else { return .needMoreData }
        let format = first >> 6
        var chunkStreamID = UInt32(first & 0x3F)
        if chunkStreamID == 0 {
            guard let byte = buffer.readInteger(as: UInt8.self) else { return .needMoreData }
            chunkStreamID = 64 + UInt32(byte)
        } else if chunkStreamID == 1 {
            guard let low = buffer.readInteger(as: UInt8.self), let high = buffer.readInteger(as: UInt8.self) else { return .needMoreData }
            chunkStreamID = 64 + UInt32(low) + UInt32(high) * 256
        }

        if chunkStreams[chunkStreamID] == nil {
            guard format == 0 else { throw .missingPreviousHeader(chunkStreamID: chunkStreamID, format: format) }
            guard chunkStreams.count < limits.maximumChunkStreams else { throw .tooManyChunkStreams(limit: limits.maximumChunkStreams) }
        }
        var stream = chunkStreams[chunkStreamID] ?? ChunkStream()
        let continuesMessage = format == 3 && stream.payload != nil

        // Message header (§5.3.1.2).
        var timestampField: UInt32 = 0
        switch format {
        case 0:
            guard let ts = buffer.readUInt24(), let length = buffer.readUInt24(), let type = buffer.readInteger(as: UInt8.self),
                  let streamID = buffer.readInteger(endianness: .little, as: UInt32.self) else { return .needMoreData }
            timestampField = ts
            stream.messageLength = Int(length)
            stream.typeID = type
            stream.messageStreamID = streamID
        case 1:
            guard let ts = buffer.readUInt24(), let length = buffer.readUInt24(), let type = buffer.readInteger(as: UInt8.self) else { return .needMoreData }
            timestampField = ts
            stream.messageLength = Int(length)
            stream.typeID = type
        case 2:
            guard let ts = buffer.readUInt24() else { return .needMoreData }
            timestampField = ts
        default:
            timestampField = stream.timestampField
        }

        // Extended timestamp (§5.3.1.3).
        if format != 3 {
            stream.hasExtendedTimestamp = timestampField == Self.extendedTimestampMarker
            if stream.hasExtendedTimestamp {
                guard let extended = buffer.readInteger(as: UInt32.self) else { return .needMoreData }
                timestampField = extended
            }
        } else if stream.hasExtendedTimestamp {
            // Type 3 chunks repeat the extended timestamp. Some old servers omitted it on
            // continuation chunks, so there we only consume it when it matches.
            guard let extended = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
            if !continuesMessage || extended == stream.timestampField {
                buffer.moveReaderIndex(forwardBy: 4)
                timestampField = extended
            }
        }

        // A new header in the middle of a message abandons it, as librtmp and ffmpeg do.
        let abandoned = format != 3 ? stream.payload.take() : nil
        guard stream.messageLength <= limits.maximumMessageLength else {
            throw .messageTooLong(length: stream.messageLength, limit: limits.maximumMessageLength, chunkStreamID: chunkStreamID)
        }

        // Chunk data.
        let received = stream.payload?.readableBytes ?? 0
        let chunkLength = min(chunkSize, stream.messageLength - received)
        guard buffer.readableBytes >= chunkLength else { return .needMoreData }

        if stream.payload == nil {
            // A new message starts: resolve its timestamp.
            switch format {
            case 0: stream.timestamp = timestampField
            default: stream.timestamp &+= timestampField
            }
            stream.timestampField = timestampField
        }

        // Past this point the chunk is consumed: commit.
        if let abandoned { bufferedBytes -= abandoned.readableBytes }
        // Drop the dictionary's reference so that appending to the partial payload does not copy it.
        chunkStreams[chunkStreamID]?.payload = nil
        let complete = received + chunkLength == stream.messageLength
        let payload: ByteBuffer
        if received == 0, complete {
            // A copy, not a slice of `buffer`: a message can live for seconds downstream (a sample
            // waits in the packager until its part closes), and a slice would keep the whole input
            // buffer alive and make the connection's next append to it copy all of it.
            var own = ByteBufferAllocator().buffer(capacity: chunkLength)
            own.writeImmutableBuffer(buffer.readSlice(length: chunkLength)!)
            payload = own
        } else {
            if !complete {
                guard bufferedBytes + chunkLength <= limits.maximumBufferedBytes else {
                    throw .tooManyBufferedBytes(limit: limits.maximumBufferedBytes)
                }
            }
            var partial = stream.payload.take()
                ?? ByteBufferAllocator().buffer(capacity: min(stream.messageLength, Self.reassemblyReservation))
            partial.writeImmutableBuffer(buffer.readSlice(length: chunkLength)!)
            bufferedBytes += chunkLength
            if !complete {
                stream.payload = partial
                chunkStreams[chunkStreamID] = stream
                return .continueParsing
            }
            bufferedBytes -= partial.readableBytes
            payload = partial
        }
        stream.payload = nil
        chunkStreams[chunkStreamID] = stream

        let message = RTMPMessage(
            chunkStreamID: chunkStreamID, typeID: RTMPMessageType(rawValue: stream.typeID),
            timestamp: stream.timestamp, messageStreamID: stream.messageStreamID, payload: payload
        )
        try applyProtocolControl(message)
        return .message(message)
    }

    /// Set Chunk Size and Abort change how later chunks are read, so the parser applies them.
    private mutating func applyProtocolControl(_ message: RTMPMessage) throws(RTMPError) {
        switch message.typeID {
        case .setChunkSize:
            guard let size = message.payload.getInteger(at: message.payload.readerIndex, as: UInt32.self) else {
                throw .truncatedControlMessage(typeID: message.typeID.rawValue)
            }
            guard size >= 1, size <= Self.largestLegalChunkSize, Int(size) <= limits.maximumChunkSize else {
                throw .invalidChunkSize(size, limit: limits.maximumChunkSize)
            }
            chunkSize = Int(size)
        case .abort:
            guard let id = message.payload.getInteger(at: message.payload.readerIndex, as: UInt32.self) else {
                throw .truncatedControlMessage(typeID: message.typeID.rawValue)
            }
            if let partial = chunkStreams[id]?.payload {
                bufferedBytes -= partial.readableBytes
                chunkStreams[id]?.payload = nil
            }
        default:
            break
        }
    }
}

extension Optional {
    /// Moves the wrapped value out, leaving nil, so that a buffer is uniquely referenced when appended to.
    mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}

extension ByteBuffer {
    mutating func readUInt24() -> UInt32? {
        guard readableBytes >= 3, let high = readInteger(as: UInt16.self), let low = readInteger(as: UInt8.self) else { return nil }
        return UInt32(high) << 8 | UInt32(low)
    }

    mutating func writeUInt24(_ value: UInt32) {
        writeInteger(UInt8(truncatingIfNeeded: value >> 16))
        writeInteger(UInt8(truncatingIfNeeded: value >> 8))
        writeInteger(UInt8(truncatingIfNeeded: value))
    }
}
