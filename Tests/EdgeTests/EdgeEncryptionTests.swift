@testable import Delivery
import Edge
import Foundation
import Logging
import Manifests
import NIOCore
import Testing

@Suite("Edge relay of encrypted channels", .serialized)
struct EdgeEncryptionTests {
    static let playbackSigner = try! PlaybackSigner(keys: PlaybackKeys([(id: "k1", secret: Array(repeating: 7, count: 32))]))
    /// A new key every two segments: the origin's 8 s (four segments) show two key periods.
    static let encryption = ContentEncryption(rotationSegments: 2)

    static func protection() throws -> ContentProtection {
        let keys = ContentKeys(secret: try ContentKeySecret(bytes: Array(repeating: 9, count: 32)),
                               logger: Logger(label: "keys") { _ in SwiftLogNoOpLogHandler() })
        return ContentProtection(keys: keys) { $0 == "tv" ? encryption : nil }
    }

    @Test("an edge lists an encrypted channel with its origin's keys, passes its key requests to the origin and its encrypted bytes through")
    func relaysEncryption() async throws {
        let origin = try await TestOrigin(
            channel: "tv", access: PlaybackAccess(signer: Self.playbackSigner, tokenChannels: ["tv"]), protection: try Self.protection())
        defer { origin.stop() }
        let edge = try await TestEdge(origins: [origin.url], signer: Self.playbackSigner)
        defer { edge.stop() }
        let token = try Self.playbackSigner.sign(channel: "tv", expiresAt: TestClock.now() / 1_000 + 600)

        #expect(try await HTTP.get("\(edge.url)/hls/tv/master.m3u8?token=\(token)").status == 200)
        #expect(try await settle { Compare.caughtUp(edge, with: origin) })
        let edgeText = try await HTTP.get("\(edge.url)/hls/tv/source/index.m3u8?token=\(token)").text
        let originText = try await HTTP.get("\(origin.url)/hls/tv/source/index.m3u8?token=\(token)").text
        // The same segments with the same keys (`Segment` holds its key), and the same lines.
        try Compare.samePlaylist(edge: edgeText, origin: originText)
        let keyLines = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("#EXT-X-KEY:") } }
        #expect(keyLines(edgeText).contains("#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/1?token=\(token)\",IV=0x00000000000000000000000000000002"))
        #expect(Set(keyLines(edgeText)).isSubset(of: Set(keyLines(originText))))
        #expect(edge.relay.directory.encryption(of: "tv") == Self.encryption)
        #expect(try await HTTP.get("\(edge.url)/dash/tv/manifest.mpd?token=\(token)").status == 404)

        // The key: the origin's, never kept (nor counted as a live object at the edge).
        let keyAtEdge = try await HTTP.get("\(edge.url)/hls/tv/keys/1?token=\(token)")
        let keyAtOrigin = try await HTTP.get("\(origin.url)/hls/tv/keys/1?token=\(token)")
        #expect(keyAtEdge.status == 200)
        #expect(keyAtEdge.body.readableBytes == 16)
        #expect(keyAtEdge.body == keyAtOrigin.body)
        #expect(keyAtEdge.cacheControl == "private, no-store")
        #expect(try await HTTP.get("\(edge.url)/hls/tv/keys/1").status == 401)

        // The media: the origin's encrypted bytes, which the key opens.
        let playlist = try MediaPlaylist.parse(edgeText)
        let segment = try #require(playlist.segments.last)
        // Its URI carries the viewer's token, which the origin takes too.
        let sealed = try await HTTP.get("\(edge.url)/hls/tv/source/\(segment.uri)")
        #expect(sealed.status == 200)
        #expect(sealed.body == (try await HTTP.get("\(origin.url)/hls/tv/source/\(segment.uri)").body))
        let msn = Int(playlist.mediaSequence) + playlist.segments.count - 1
        let key = try await HTTP.get("\(edge.url)/hls/tv/keys/\(Self.encryption.period(ofMSN: msn))?token=\(token)")
        let clear = try SegmentCipher.decrypt(sealed.body, key: Array(buffer: key.body), iv: try #require(segment.key).iv)
        let box = String(decoding: Array(buffer: clear)[4..<8], as: UTF8.self)
        #expect(box == "moof" || box == "styp", "the decrypted segment starts with \(box)")

        // A player through the edge: ffmpeg reads the whole encrypted window, keys and all.
        let read = try await Self.ffmpeg(["-v", "error", "-xerror", "-live_start_index", "0", "-i", "\(edge.url)/hls/tv/master.m3u8?token=\(token)",
                                    "-map", "0", "-c", "copy", "-t", "4", "-f", "null", "-"])
        #expect(read.status == 0, "ffmpeg: \(read.errors)")
    }

    /// Runs ffmpeg to its end without holding a thread of the test's own servers; one still
    /// running after a minute (a stream it cannot read may keep it waiting) is stopped and fails
    /// (`timeout` exits 124).
    static func ffmpeg(_ arguments: [String]) async throws -> (status: Int32, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["timeout", "-s", "KILL", "60", "ffmpeg", "-nostdin"] + arguments
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("edge-ffmpeg-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: errors.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        defer { try? FileManager.default.removeItem(at: errors) }
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardOutput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return (status, try String(contentsOf: errors, encoding: .utf8))
    }
}

extension Array where Element == UInt8 {
    fileprivate init(buffer: ByteBuffer) { self = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? [] }
}
