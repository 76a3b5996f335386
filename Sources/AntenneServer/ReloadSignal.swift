import Dispatch
import Foundation

/// SIGHUP reloads what can change under a running server: the TLS certificate and key
/// (``AntenneServer/reloadCertificates()``). Without a handler, SIGHUP would end the process.
final class ReloadSignal: @unchecked Sendable {
    /// Set once in init; `cancel()` only calls the source's own thread-safe `cancel()`.
    private let source: any DispatchSourceSignal

    init(reload: @escaping @Sendable () -> Void) {
        // The default action would end the process before the source sees the signal.
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "antenne.reload"))
        source.setEventHandler(handler: reload)
        source.resume()
    }

    func cancel() {
        source.cancel()
    }
}
