/// Duration of an Opus packet from its TOC byte (RFC 6716 §3.1), in 48 kHz samples.
public enum OpusPacket {
    /// A packet lasts at most 120 ms (RFC 6716 §3.2.5): 5 760 samples at 48 kHz.
    public static let maxSamplesPerPacket = 5_760

    public static func sampleCount<C: Collection>(_ packet: C) throws(CodecsError) -> Int where C.Element == UInt8 {
        var it = packet.makeIterator()
        guard let toc = it.next() else { throw .truncated(what: "Opus packet", needed: 1, available: 0) }
        let config = Int(toc >> 3)
        let frameSize: Int
        switch config {
        case 0...11: frameSize = [480, 960, 1920, 2880][config % 4]  // SILK-only: 10, 20, 40, 60 ms
        case 12...15: frameSize = [480, 960][config % 2]  // Hybrid: 10, 20 ms
        default: frameSize = [120, 240, 480, 960][config % 4]  // CELT-only: 2.5, 5, 10, 20 ms
        }
        let frames: Int
        switch toc & 0x03 {
        case 0: frames = 1
        case 1, 2: frames = 2
        default:
            guard let count = it.next() else { throw .truncated(what: "Opus packet frame count", needed: 2, available: 1) }
            frames = Int(count & 0x3F)
            guard frames > 0 else { throw .invalid(what: "Opus packet", reason: "code 3 with zero frames") }
        }
        let total = frames * frameSize
        guard total <= maxSamplesPerPacket else {
            throw .invalid(what: "Opus packet", reason: "\(total) samples exceed 120 ms")
        }
        return total
    }
}
