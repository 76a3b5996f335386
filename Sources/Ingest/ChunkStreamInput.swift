import NIOCore
import RTMP

/// Feeds a connection's reads to its chunk decoder, keeping only the bytes of a chunk that
/// straddles two reads.
///
/// A read is decoded where it lies; only its unparsed tail (less than one chunk) is copied aside,
/// and the next read is appended to that copy. So no read buffer outlives its read: the channel's
/// pooled receive buffer is reused for the next read instead of a new one being allocated, and the
/// carried-over bytes live in a buffer only this type references, which grows and compacts in
/// place. (A generic accumulating processor keeps the read buffer itself when it has nothing
/// pending, so the next append copies that whole buffer.) The decoder's messages never slice the
/// input (``RTMPChunkParser`` copies payloads), so nothing else holds on to these buffers.
///
/// The carried-over bytes are bounded by the chunk decoder: it consumes every complete chunk, so
/// what remains is at most one chunk (``RTMPLimits/maximumChunkSize``) and its header.
struct ChunkStreamInput {
    private(set) var decoder: RTMPChunkDecoder
    /// Unparsed bytes of the previous reads; empty (with its storage kept) when there are none.
    private var carry = ByteBuffer()

    init(decoder: RTMPChunkDecoder) {
        self.decoder = decoder
    }

    /// Decodes every complete message of `input` (after the bytes carried over) in order.
    mutating func process(_ input: ByteBuffer, _ body: (RTMPMessage) throws -> Void) throws {
        if carry.readableBytes == 0 {
            var input = input
            try decodeAll(&input, body)
            if input.readableBytes > 0 {
                carry.clear()
                carry.writeImmutableBuffer(input)
            }
            return
        }
        // Take the carried bytes out of `self` so that appending to them does not copy them.
        var pending = carry
        carry = ByteBuffer()
        pending.writeImmutableBuffer(input)
        defer {
            if pending.readableBytes == 0 {
                pending.clear()
            } else if pending.readerIndex >= Self.compactionThreshold {
                pending.discardReadBytes()
            }
            carry = pending
        }
        try decodeAll(&pending, body)
    }

    private mutating func decodeAll(_ buffer: inout ByteBuffer, _ body: (RTMPMessage) throws -> Void) throws {
        while let message = try decoder.decode(buffer: &buffer) {
            try body(message)
        }
    }

    /// Consumed bytes at the front of the carry buffer before they are reclaimed (moving the
    /// unparsed rest, less than a chunk, to the front).
    static let compactionThreshold = 64 << 10
}
