import CSRT
import Foundation
@testable import SRTIngest
#if canImport(Glibc)
import Glibc
#endif

/// An encoder that listens for SRT callers on loopback, as hardware encoders do in listener mode:
/// the server's pulls call it.
final class SRTEncoder {
    let listener: SRTSOCKET
    let port: Int

    init(passphrase: String? = nil) throws {
        srt_startup()
        let socket = srt_create_socket()
        listener = socket
        var nonBlocking: Int32 = 0  // accept polls; sends stay blocking
        srt_setsockflag(socket, SRTO_RCVSYN, &nonBlocking, Int32(MemoryLayout<Int32>.size))
        if let passphrase {
            var bytes = Array(passphrase.utf8)
            srt_setsockflag(socket, SRTO_PASSPHRASE, &bytes, Int32(bytes.count))
        }
        let bound = SRTSocketAddress.withSockaddr(host: "127.0.0.1", port: 0) { srt_bind(socket, $0, $1) }
        guard bound == 0, srt_listen(socket, 4) != SRT_ERROR, let port = SRTSocketAddress.boundPort(socket) else {
            throw SRTCaller.CallerError(String(cString: srt_getlasterror_str()))
        }
        self.port = port
    }

    /// The next caller, if one connects within `timeout`.
    func accept(within timeout: Duration) async -> SRTSOCKET? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var storage = sockaddr_storage()
            var length = Int32(MemoryLayout<sockaddr_storage>.size)
            let accepted = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { srt_accept(listener, $0, &length) }
            }
            if accepted != SRT_INVALID_SOCK { return accepted }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    deinit {
        srt_close(listener)
        srt_cleanup()
    }
}
