import Control
import Delivery
import NIOCore
import SRTIngest

/// What reaches the server besides media: the API's JSON bodies, playback tokens and SRT stream
/// ids.
extension FuzzTarget {
    static let control: [FuzzTarget] = [
        // The schema's name, a newline, then the body: every body the API reads, each as its
        // route reads it (``ControlAPI/requestBodyReaders``).
        FuzzTarget(name: "api-json") { bytes in
            guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")),
                  let read = ControlAPI.requestBodyReaders[String(decoding: bytes[..<newline], as: UTF8.self)]
            else { return false }
            do {
                try read(buffer(Array(bytes[(newline + 1)...])))
                return true
            } catch {
                return false
            }
        },
        // The token as a query carries it, for channel `demo`; a fresh signer each time, so that
        // no input is answered from the cache of tokens already verified.
        FuzzTarget(name: "playback-token") { bytes in
            let signer = try! PlaybackSigner(keys: PlaybackKeys([(id: "k1", secret: tokenSecret)]))
            let text = String(decoding: bytes, as: UTF8.self)
            let result = signer.verify(text, channel: "demo", now: tokenClock)
            if result == .valid {
                // Once the MAC holds, the cached answer is the same answer.
                check(signer.verify(text, channel: "demo", now: tokenClock) == .valid, "a verified token verified differently from the cache")
            }
            return result == .valid
        },
        FuzzTarget(name: "srt-stream-id") { bytes in
            guard let id = try? SRTStreamID(parsing: bytes) else { return false }
            // Antenne's own form of what was read reads back to the same stream key.
            let again = try? SRTStreamID(parsing: Array("publish:\(id.streamKey)".utf8))
            check(again == id, "a stream key did not survive publish:{streamKey}")
            return true
        },
    ]

    /// The key the `playback-token` seeds are signed with (`antenne sign-url` with this secret).
    static let tokenSecret = [UInt8](repeating: 0x5A, count: 32)
    /// 2026-01-01T00:00:00Z: the seeds expire in 2036.
    static let tokenClock: Int64 = 1_767_225_600
}
