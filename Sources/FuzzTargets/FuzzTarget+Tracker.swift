import NIOCore
import Tracker

/// What a viewer's browser sends the P2P tracker: STUN binding requests on UDP and the JSON
/// messages of its WebSocket.
extension FuzzTarget {
    static let tracker: [FuzzTarget] = [
        FuzzTarget(name: "stun") { bytes in
            guard let request = try? STUNBindingRequest(parsing: buffer(bytes)) else { return false }
            // What the responder sends back: a success response to the same transaction, 32 bytes
            // for an IPv4 source (RFC 8489 §6.3.1, §14.2).
            let source = try! SocketAddress(ipAddress: "192.0.2.7", port: 54_321)
            let response = STUNBindingResponse.encode(request, source: source)
            check(response?.readableBytes == 32, "a binding response of \(response?.readableBytes ?? -1) bytes")
            check(response?.getBytes(at: 8, length: 12) == request.transactionID, "the response names another transaction")
            return true
        },
        FuzzTarget(name: "tracker-message") { bytes in
            (try? TrackerMessage(json: bytes)) != nil
        },
    ]
}
