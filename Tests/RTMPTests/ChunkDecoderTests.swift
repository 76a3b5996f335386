import NIOCore
import NIOTestUtils
import Testing
@testable import RTMP

@Suite struct ChunkDecoderTests {
    /// All four header types on one chunk stream; timestamps become absolute (RTMP spec §5.3.1.2).
    @Test func headerTypesAndTimestamps() throws {
        var w = ChunkWriter()
        w.type0(csid: 4, timestamp: 1000, length: 3, type: 8, streamID: 1); w.bytes([1, 2, 3])
        w.type1(csid: 4, delta: 33, length: 2, type: 9); w.bytes([4, 5])
        w.type2(csid: 4, delta: 20); w.bytes([6, 7])
        w.type3(csid: 4); w.bytes([8, 9])
        let expected = [
            message(csid: 4, type: .audio, timestamp: 1000, bytes: [1, 2, 3]),
            message(csid: 4, type: .video, timestamp: 1033, bytes: [4, 5]),
            message(csid: 4, type: .video, timestamp: 1053, bytes: [6, 7]),
            message(csid: 4, type: .video, timestamp: 1073, bytes: [8, 9]),
        ]
        #expect(try decodeAll(w.buffer) == expected)
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: [(w.buffer, expected)]) { RTMPChunkDecoder() }
    }

    /// A type 3 chunk that starts a message after a type 0 adds the type 0 timestamp (§5.3.1.2.4).
    @Test func type3AfterType0RepeatsTheTimestampField() throws {
        var w = ChunkWriter()
        w.type0(csid: 6, timestamp: 40, length: 1, type: 9, streamID: 1); w.bytes([1])
        w.type3(csid: 6); w.bytes([2])
        let messages = try decodeAll(w.buffer)
        #expect(messages.map(\.timestamp) == [40, 80])
    }

    /// 1-, 2- and 3-byte basic headers (§5.3.1.1).
    @Test func basicHeaderForms() throws {
        var w = ChunkWriter()
        w.type0(csid: 63, timestamp: 1, length: 1, type: 8, streamID: 1); w.bytes([1])
        w.type0(csid: 64, timestamp: 2, length: 1, type: 8, streamID: 1); w.bytes([2])
        w.type0(csid: 319, timestamp: 3, length: 1, type: 8, streamID: 1); w.bytes([3])
        w.type0(csid: 320, timestamp: 4, length: 1, type: 8, streamID: 1); w.bytes([4])
        w.type0(csid: 65_599, timestamp: 5, length: 1, type: 8, streamID: 1); w.bytes([5])
        let messages = try decodeAll(w.buffer)
        #expect(messages.map(\.chunkStreamID) == [63, 64, 319, 320, 65_599])
        #expect(messages.map(\.timestamp) == [1, 2, 3, 4, 5])
    }

    /// Extended timestamps on the type 0 header and repeated on type 3 continuation chunks, as
    /// ffmpeg and librtmp send them (§5.3.1.3).
    @Test func extendedTimestampOnContinuationChunks() throws {
        let body = payload(300)
        var w = ChunkWriter()
        w.type0(csid: 6, timestamp: 0, length: 300, type: 9, streamID: 1, extended: 0x0100_0000); w.bytes(Array(body[0..<128]))
        w.type3(csid: 6, extended: 0x0100_0000); w.bytes(Array(body[128..<256]))
        w.type3(csid: 6, extended: 0x0100_0000); w.bytes(Array(body[256...]))
        // The next message, same length: type 3 headers only; its delta is the extended field again.
        let next = payload(300, seed: 9)
        w.type3(csid: 6, extended: 0x0100_0000); w.bytes(Array(next[0..<128]))
        w.type3(csid: 6, extended: 0x0100_0000); w.bytes(Array(next[128..<256]))
        w.type3(csid: 6, extended: 0x0100_0000); w.bytes(Array(next[256...]))
        // Then a type 1 header with a small delta: the extended timestamp stops.
        w.type1(csid: 6, delta: 40, length: 2, type: 9); w.bytes([1, 2])
        let expected = [
            message(csid: 6, type: .video, timestamp: 0x0100_0000, bytes: body),
            message(csid: 6, type: .video, timestamp: 0x0200_0000, bytes: next),
            message(csid: 6, type: .video, timestamp: 0x0200_0028, bytes: [1, 2]),
        ]
        #expect(try decodeAll(w.buffer) == expected)
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: [(w.buffer, expected)]) { RTMPChunkDecoder() }
    }

    /// Old servers omitted the extended timestamp on continuation chunks; when the 4 bytes differ
    /// from it they are payload.
    @Test func extendedTimestampMissingOnContinuation() throws {
        let body = payload(200, seed: 7)
        var w = ChunkWriter()
        w.type0(csid: 6, timestamp: 0, length: 200, type: 9, streamID: 1, extended: 0x0123_4567); w.bytes(Array(body[0..<128]))
        w.type3(csid: 6); w.bytes(Array(body[128...]))
        #expect(try decodeAll(w.buffer) == [message(csid: 6, type: .video, timestamp: 0x0123_4567, bytes: body)])
    }

    /// Audio and video chunks interleaved on two chunk streams (§5.3.2.2).
    @Test func interleavedChunkStreams() throws {
        let audio = payload(300, seed: 1), video = payload(260, seed: 2)
        var w = ChunkWriter()
        w.type0(csid: 4, timestamp: 10, length: 300, type: 8, streamID: 1); w.bytes(Array(audio[0..<128]))
        w.type0(csid: 6, timestamp: 12, length: 260, type: 9, streamID: 1); w.bytes(Array(video[0..<128]))
        w.type3(csid: 4); w.bytes(Array(audio[128..<256]))
        w.type3(csid: 6); w.bytes(Array(video[128..<256]))
        w.type3(csid: 6); w.bytes(Array(video[256...]))
        w.type3(csid: 4); w.bytes(Array(audio[256...]))
        let expected = [
            message(csid: 6, type: .video, timestamp: 12, bytes: video),
            message(csid: 4, type: .audio, timestamp: 10, bytes: audio),
        ]
        #expect(try decodeAll(w.buffer) == expected)
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: [(w.buffer, expected)]) { RTMPChunkDecoder() }
    }

    /// Set Chunk Size applies to the very next chunk (§5.4.1).
    @Test func setChunkSizeIsHonoured() throws {
        let body = payload(5000)
        var w = ChunkWriter()
        w.type0(csid: 2, timestamp: 0, length: 4, type: 1, streamID: 0); w.buffer.writeInteger(UInt32(4096))
        w.type0(csid: 6, timestamp: 0, length: 5000, type: 9, streamID: 1); w.bytes(Array(body[0..<4096]))
        w.type3(csid: 6); w.bytes(Array(body[4096...]))
        var setChunkSize = ByteBuffer(); setChunkSize.writeInteger(UInt32(4096))
        let expected = [
            RTMPMessage(chunkStreamID: 2, typeID: .setChunkSize, payload: setChunkSize),
            message(csid: 6, type: .video, timestamp: 0, bytes: body),
        ]
        #expect(try decodeAll(w.buffer) == expected)
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: [(w.buffer, expected)]) { RTMPChunkDecoder() }
    }

    /// Abort drops the partial message of a chunk stream (§5.4.2).
    @Test func abortDropsPartialMessage() throws {
        var w = ChunkWriter()
        w.type0(csid: 6, timestamp: 0, length: 200, type: 9, streamID: 1); w.bytes(payload(128))
        w.type0(csid: 2, timestamp: 0, length: 4, type: 2, streamID: 0); w.buffer.writeInteger(UInt32(6))
        w.type0(csid: 6, timestamp: 5, length: 2, type: 9, streamID: 1); w.bytes([1, 2])
        let messages = try decodeAll(w.buffer)
        #expect(messages.map(\.typeID) == [.abort, .video])
        #expect(messages.last == message(csid: 6, type: .video, timestamp: 5, bytes: [1, 2]))
    }

    @Test func zeroLengthMessage() throws {
        var w = ChunkWriter()
        w.type0(csid: 3, timestamp: 0, length: 0, type: 20, streamID: 0)
        #expect(try decodeAll(w.buffer) == [message(csid: 3, type: .amf0Command, timestamp: 0, streamID: 0, bytes: [])])
    }

    /// Encoder output decodes to the same messages at any chunk size, including extended timestamps.
    @Test(arguments: [1, 128, 4096, 65_536])
    func encoderRoundTrip(chunkSize: Int) throws {
        var limits = RTMPLimits()
        limits.maximumChunkStreams = 400
        // The encoder switches to the new size right after writing Set Chunk Size, as the decoder does.
        let messages = [
            RTMPControlMessage.setChunkSize(UInt32(chunkSize)).message,
            message(csid: 4, type: .audio, timestamp: 0, bytes: payload(10)),
            message(csid: 6, type: .video, timestamp: 0xFF_FFFF, bytes: payload(9000)),
            message(csid: 6, type: .video, timestamp: 0xFFFF_FFFF, bytes: payload(300)),
            message(csid: 100, type: .amf0Data, timestamp: 7, bytes: payload(129)),
            message(csid: 400, type: .amf0Data, timestamp: 8, bytes: []),
        ]
        var encoder = RTMPChunkEncoder()
        var bytes = ByteBuffer()
        for message in messages { encoder.encode(message, into: &bytes) }
        #expect(encoder.chunkSize == chunkSize)
        #expect(try decodeAll(bytes, limits: limits) == messages)
    }

    @Test func encoderSwitchesChunkSizeAfterSetChunkSize() {
        var encoder = RTMPChunkEncoder()
        var out = ByteBuffer()
        encoder.encode(RTMPControlMessage.setChunkSize(4096).message, into: &out)
        #expect(encoder.chunkSize == 4096)
    }
}

@Suite struct ChunkLimitTests {
    func setChunkSize(_ size: UInt32) -> ByteBuffer {
        var w = ChunkWriter()
        w.type0(csid: 2, timestamp: 0, length: 4, type: 1, streamID: 0)
        w.buffer.writeInteger(size)
        return w.buffer
    }

    @Test(arguments: [UInt32(0), 0x8000_0000, 0xFFFF_FFFF, UInt32(1 << 20) + 1])
    func rejectsInvalidChunkSize(size: UInt32) {
        #expect(throws: RTMPError.invalidChunkSize(size, limit: 1 << 20)) { try decodeAll(setChunkSize(size)) }
    }

    @Test func acceptsLargestAllowedChunkSize() throws {
        #expect(try decodeAll(setChunkSize(1 << 20)).count == 1)
    }

    @Test func rejectsHugeMessageLengthFromTheHeaderAlone() {
        var w = ChunkWriter()
        w.type0(csid: 6, timestamp: 0, length: 0xFF_FFFF, type: 9, streamID: 1)
        #expect(throws: RTMPError.messageTooLong(length: 0xFF_FFFF, limit: 8 << 20, chunkStreamID: 6)) { try decodeAll(w.buffer) }
    }

    @Test func rejectsTooManyChunkStreams() {
        var w = ChunkWriter()
        for csid in UInt32(3)..<(3 + 65) {
            w.type0(csid: csid, timestamp: 0, length: 1, type: 8, streamID: 1); w.bytes([0])
        }
        #expect(throws: RTMPError.tooManyChunkStreams(limit: 64)) { try decodeAll(w.buffer) }
    }

    @Test func rejectsTooManyBufferedBytes() {
        var limits = RTMPLimits()
        limits.maximumBufferedBytes = 300
        var w = ChunkWriter()
        for csid in UInt32(4)...6 {
            w.type0(csid: csid, timestamp: 0, length: 1000, type: 9, streamID: 1); w.bytes(payload(128))
        }
        #expect(throws: RTMPError.tooManyBufferedBytes(limit: 300)) { try decodeAll(w.buffer, limits: limits) }
    }

    @Test func rejectsCompressedHeaderOnNewChunkStream() {
        var w = ChunkWriter()
        w.type1(csid: 5, delta: 0, length: 1, type: 8); w.bytes([0])
        #expect(throws: RTMPError.missingPreviousHeader(chunkStreamID: 5, format: 1)) { try decodeAll(w.buffer) }
    }
}
