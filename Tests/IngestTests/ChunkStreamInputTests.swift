import NIOCore
import RTMP
import Testing
import TestSupport
@testable import Ingest

@Suite struct ChunkStreamInputTests {
    /// A chunk stream: Set Chunk Size 4096, then audio (one chunk each) and video (several
    /// chunks each) messages, as ffmpeg sends them.
    static func stream() -> (bytes: ByteBuffer, messages: [RTMPMessage]) {
        var encoder = RTMPChunkEncoder()
        var bytes = ByteBuffer()
        var messages = [RTMPControlMessage.setChunkSize(4096).message]
        for n in 0..<12 {
            let audio = ByteBuffer(bytes: (0..<(300 + n)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ n) })
            let video = ByteBuffer(bytes: (0..<(9_000 + 500 * n)).map { UInt8(truncatingIfNeeded: $0 &* 3 &+ n) })
            messages.append(RTMPMessage(chunkStreamID: 4, typeID: .audio, timestamp: UInt32(21 * n), messageStreamID: 1, payload: audio))
            messages.append(RTMPMessage(chunkStreamID: 6, typeID: .video, timestamp: UInt32(33 * n), messageStreamID: 1, payload: video))
        }
        for message in messages { encoder.encode(message, into: &bytes) }
        return (bytes, messages)
    }

    static func decode(_ bytes: ByteBuffer, readSizes: some Sequence<Int>) throws -> [RTMPMessage] {
        var input = ChunkStreamInput(decoder: RTMPChunkDecoder())
        var decoded: [RTMPMessage] = []
        var rest = bytes
        var sizes = readSizes.makeIterator()
        while rest.readableBytes > 0 {
            let size = min(rest.readableBytes, max(1, sizes.next() ?? rest.readableBytes))
            try input.process(rest.readSlice(length: size)!) { decoded.append($0) }
        }
        return decoded
    }

    /// However the stream is split into reads, the same messages come out, in order.
    @Test(arguments: [1, 7, 128, 1_000, 4_096, 4_109, 65_536])
    func anySplitGivesTheSameMessages(readSize: Int) throws {
        let (bytes, messages) = Self.stream()
        #expect(try Self.decode(bytes, readSizes: repeatElement(readSize, count: .max)) == messages)
    }

    @Test func irregularReads() throws {
        let (bytes, messages) = Self.stream()
        var generator = SplitMix64(seed: 42)
        let sizes = (0..<10_000).map { _ in Int(generator.next() % 9_000) + 1 }
        #expect(try Self.decode(bytes, readSizes: sizes) == messages)
    }

    /// Messages are copies: none of them points into a read buffer, so a read buffer can be
    /// reused as soon as it has been processed.
    @Test func messagesDoNotReferenceTheReads() throws {
        let (bytes, _) = Self.stream()
        var input = ChunkStreamInput(decoder: RTMPChunkDecoder())
        var rest = bytes
        while rest.readableBytes > 0 {
            let read = rest.readSlice(length: min(rest.readableBytes, 5_000))!
            let range = read.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress!)..<UInt(bitPattern: $0.baseAddress!) + UInt($0.count) }
            try input.process(read) { message in
                message.payload.withUnsafeReadableBytes { payload in
                    guard let base = payload.baseAddress else { return }
                    #expect(!range.contains(UInt(bitPattern: base)))
                }
            }
        }
    }

    /// A chunk split across reads is carried over and completed by the next read.
    @Test func carriesAPartialChunk() throws {
        var encoder = RTMPChunkEncoder()
        var bytes = ByteBuffer()
        let message = RTMPMessage(chunkStreamID: 4, typeID: .audio, timestamp: 0, messageStreamID: 1, payload: ByteBuffer(bytes: [1, 2, 3, 4, 5]))
        encoder.encode(message, into: &bytes)
        var input = ChunkStreamInput(decoder: RTMPChunkDecoder())
        var decoded: [RTMPMessage] = []
        try input.process(bytes.getSlice(at: 0, length: 6)!) { decoded.append($0) }
        #expect(decoded.isEmpty)
        try input.process(bytes.getSlice(at: 6, length: bytes.readableBytes - 6)!) { decoded.append($0) }
        #expect(decoded == [message])
    }
}

