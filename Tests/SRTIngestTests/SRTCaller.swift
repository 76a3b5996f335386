import CSRT
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A libsrt caller on loopback, as an encoder connects: blocking, live mode.
final class SRTCaller {
    let socket: SRTSOCKET
    /// The rejection code of a refused connect, nil when it connected.
    private(set) var rejection: Int32?

    init(port: Int, streamID: String?, passphrase: String? = nil) throws {
        srt_startup()
        socket = srt_create_socket()
        if let streamID {
            var bytes = Array(streamID.utf8)
            guard srt_setsockflag(socket, SRTO_STREAMID, &bytes, Int32(bytes.count)) != SRT_ERROR else {
                throw CallerError(String(cString: srt_getlasterror_str()))
            }
        }
        if let passphrase {
            var bytes = Array(passphrase.utf8)
            srt_setsockflag(socket, SRTO_PASSPHRASE, &bytes, Int32(bytes.count))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { srt_connect(socket, $0, Int32(MemoryLayout<sockaddr_in>.size)) }
        }
        if result == SRT_ERROR { rejection = srt_getrejectreason(socket) }
    }

    struct CallerError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    var connected: Bool { rejection == nil }

    /// Sends `bytes` in SRT live payloads of 7 TS packets. Returns false once the connection broke.
    @discardableResult
    func send(_ bytes: [UInt8], payload: Int = 1316) -> Bool {
        srtSend(socket, bytes, payload: payload)
    }

    /// Waits up to `timeout` for the listener to close the connection.
    func closedByListener(within timeout: Duration) async -> Bool {
        await srtClosed(socket, within: timeout)
    }

    deinit {
        srt_close(socket)
        srt_cleanup()
    }
}

/// Sends `bytes` on a connected live-mode socket in payloads of `payload` bytes (7 TS packets by
/// default). Returns false once the connection broke.
@discardableResult
func srtSend(_ socket: SRTSOCKET, _ bytes: [UInt8], payload: Int = 1316) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let end = min(offset + payload, bytes.count)
        let sent = bytes[offset..<end].withUnsafeBytes {
            srt_sendmsg(socket, $0.baseAddress!.assumingMemoryBound(to: CChar.self), Int32($0.count), -1, 0)
        }
        if sent == SRT_ERROR { return false }
        offset = end
    }
    return true
}

/// Waits up to `timeout` for the other side to close the connection of `socket`.
func srtClosed(_ socket: SRTSOCKET, within timeout: Duration) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        let state = srt_getsockstate(socket)
        if state == SRTS_BROKEN || state == SRTS_CLOSED || state == SRTS_NONEXIST { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return false
}
