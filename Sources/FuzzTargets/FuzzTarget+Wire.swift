import NIOCore
import RTMP

/// What a publisher sends: the RTMP handshake, the chunk stream, AMF0 commands and the session
/// state machine behind them.
extension FuzzTarget {
    static let wire: [FuzzTarget] = [
        FuzzTarget(name: "rtmp-handshake") { bytes in
            var handshake = RTMPServerHandshake(serverTime: 0, random: [UInt8](repeating: 7, count: 2 * RTMPHandshakeDigest.packetLength))
            var buffer = buffer(bytes)
            // As a socket delivers it: whatever has arrived, until the handshake needs more or ends.
            while true {
                guard let action = try? handshake.receive(&buffer) else { return false }
                if action == .needMoreData || action == .complete { return action == .complete }
            }
        },
        FuzzTarget(name: "rtmp-chunks") { bytes in
            // The chunk stream, then every message it yields through a server session that
            // accepts each publish, as the ingest does.
            var parser = RTMPChunkParser()
            var session = RTMPServerSession(now: .uptimeNanoseconds(0))
            var buffer = buffer(bytes)
            while true {
                let result: RTMPChunkParser.ParseResult
                do { result = try parser.parse(&buffer) } catch { return false }
                switch result {
                case .needMoreData: return true
                case .continueParsing: continue
                case .message(let message):
                    guard let action = try? session.receive(message) else { return false }
                    switch action {
                    case .authorizePublish: _ = session.publishAccepted()
                    case .close: return false
                    default: break
                    }
                }
            }
        },
        FuzzTarget(name: "amf0") { bytes in
            guard let values = try? AMF0Decoder.decodeAll(buffer(bytes)) else { return false }
            // What decoded encodes to bytes that decode and encode to the same bytes (bytes, not
            // values: a NaN number is not equal to itself).
            let encoded = encode(values)
            let again = try? AMF0Decoder.decodeAll(encoded)
            check(again.map(encode) == encoded, "AMF0 values changed through encode and decode")
            return true
        },
    ]

    private static func encode(_ values: [AMF0Value]) -> ByteBuffer {
        var encoded = ByteBufferAllocator().buffer(capacity: 256)
        for value in values { _ = encoded.writeAMF0(value) }
        return encoded
    }
}
