import Foundation
import HummingbirdTesting
import Logging
import Manifests
import NIOCore
import Packager
import Testing
@testable import Delivery
import TestSupport

/// HLS AES-128 encryption: content keys, the cipher, the playlists' `EXT-X-KEY` and the key route.
@Suite(.serialized) struct EncryptionTests {
    static let now = LiveChannelFixture.now / 1000
    static let playbackSecret = Array(repeating: UInt8(7), count: 32)
    static let contentSecret = try! ContentKeySecret(bytes: Array(repeating: 9, count: 32))
    /// A new key every four segments: the fixture's 12 segments span periods 0, 1 and 2.
    static let encryption = ContentEncryption(rotationSegments: 4)

    @Test func derivedKeysAreDeterministicAndDifferPerChannelAndPeriod() throws {
        let key = ContentKeys.derive(Self.contentSecret, channel: "tv1", period: 7)
        #expect(key.count == 16)
        #expect(key == ContentKeys.derive(try ContentKeySecret(bytes: Array(repeating: 9, count: 32)), channel: "tv1", period: 7))
        #expect(key != ContentKeys.derive(Self.contentSecret, channel: "tv2", period: 7))
        #expect(key != ContentKeys.derive(Self.contentSecret, channel: "tv1", period: 8))
        #expect(key != ContentKeys.derive(try ContentKeySecret(bytes: Array(repeating: 8, count: 32)), channel: "tv1", period: 7))
        // "tv" + period 1 must not meet "tv1" + period 0 however the info is laid out.
        #expect(ContentKeys.derive(Self.contentSecret, channel: "tv", period: 1) != ContentKeys.derive(Self.contentSecret, channel: "tv1", period: 0))
    }

    @Test func secretsAreCheckedAndNeverShown() throws {
        #expect(throws: DeliveryError.contentKeySecret) { try ContentKeySecret(text: "abcd") }
        let secret = try ContentKeySecret(text: String(repeating: "ab", count: 32))
        #expect(!secret.description.contains("ab"))
    }

    @Test func encryptionRoundTrips() throws {
        let key = ContentKeys.derive(Self.contentSecret, channel: "tv1", period: 0)
        let iv = Self.encryption.iv(period: 3)
        #expect(iv == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12])
        for length in [0, 1, 15, 16, 17, 1000] {
            let plain = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            // A segment is its parts in order: the cipher takes several buffers as one resource.
            let pieces = [ByteBuffer(bytes: plain.prefix(length / 2)), ByteBuffer(bytes: plain.dropFirst(length / 2))]
            let sealed = try SegmentCipher.encrypt(pieces, key: key, iv: iv)
            // PKCS#7 always pads, to the next whole block.
            #expect(sealed.readableBytes == (length / 16 + 1) * 16)
            #expect(Array(sealed.readableBytesView.prefix(length)) != plain || length == 0)
            #expect(Array(try SegmentCipher.decrypt(sealed, key: key, iv: iv).readableBytesView) == plain)
        }
    }

    /// Viewers released together at the live edge share one encryption of the object.
    @Test func concurrentRequestsEncryptAnObjectOnce() async {
        actor Count { var value = 0; func add() { value += 1 } }
        let count = Count()
        let objects = EncryptedObjects()
        final class Owner: Sendable {}
        let owner = Owner()
        let key = EncryptedObjects.Key(owner: ObjectIdentifier(owner), object: "tv1/7.0", encryption: Self.encryption)
        let results = await withTaskGroup(of: ByteBuffer?.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    await objects.sealed(key, owner: owner) {
                        await count.add()
                        try? await Task.sleep(for: .milliseconds(50))
                        return ByteBuffer(bytes: [1, 2, 3])
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(await count.value == 1)
        #expect(results.count == 20 && results.allSatisfy { $0 == ByteBuffer(bytes: [1, 2, 3]) })
        #expect(objects.bytes(key, owner: owner) == ByteBuffer(bytes: [1, 2, 3]))
        // Another owner (a channel started again) never gets the old bytes.
        #expect(objects.bytes(key, owner: Owner()) == nil)
    }

    @Test func keyServerAnswersAreRawBytesOrJSON() {
        let key = Array(0..<16).map(UInt8.init)
        #expect(ContentKeyServerContract.parseKey(key) == key)
        #expect(ContentKeyServerContract.parseKey(Array(#"{"key": "000102030405060708090a0b0c0d0e0f"}"#.utf8)) == key)
        #expect(ContentKeyServerContract.parseKey(Array(#"{"key":"AAECAwQFBgcICQoLDA0ODw=="}"#.utf8)) == key)
        #expect(ContentKeyServerContract.parseKey(Array(#"{"key":"0001"}"#.utf8)) == nil)
        #expect(ContentKeyServerContract.parseKey(Array(repeating: 1, count: 15)) == nil)
        #expect(ContentKeyServerContract.url(server: "https://k.example/keys", channel: "tv1", period: 3)
            == "https://k.example/keys?channel=tv1&period=3")
        #expect(ContentKeyServerContract.url(server: "https://k.example/keys?org=7", channel: "tv1", period: 3)
            == "https://k.example/keys?org=7&channel=tv1&period=3")
    }

    struct Setup: Sendable {
        let signer: PlaybackSigner
        let channel: LiveChannelFixture
    }

    static func withSetup(
        keys: ContentKeys = ContentKeys(secret: contentSecret, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }),
        encryption: ContentEncryption = encryption,
        _ body: @escaping @Sendable (Setup, any TestClientProtocol) async throws -> Void
    ) async throws {
        let registry = PackagerRegistry()
        let channel = try await LiveChannelFixture(name: "sealed", registry: registry)
        defer { channel.stop() }
        let signer = try PlaybackSigner(keys: PlaybackKeys([(id: "k1", secret: playbackSecret)]))
        let routes = PlaybackRoutes(
            packagers: registry, access: PlaybackAccess(signer: signer, tokenChannels: ["sealed"]),
            protection: ContentProtection(keys: keys) { $0 == "sealed" ? encryption : nil }, now: { LiveChannelFixture.now })
        try await PlaybackServer.serve(routes) { client in try await body(Setup(signer: signer, channel: channel), client) }
    }

    static func get(_ client: any TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get)
    }

    /// The media playlist names the key of each segment's period, with the period's IV, written
    /// where the period changes; the key URI carries the viewer's token and answers the key, with
    /// which every segment and part decrypts to the clear bytes.
    @Test func playlistsCarryAKeyPerPeriodAndMediaDecryptsWithIt() async throws {
        try await Self.withSetup { setup, client in
            let token = try setup.signer.sign(channel: "sealed", expiresAt: Self.now + 600)
            let response = try await Self.get(client, "/hls/sealed/source/index.m3u8?token=\(token)")
            #expect(response.status == .ok)
            let lines = String(buffer: response.body).split(separator: "\n").map(String.init)
            let rendition = try #require(setup.channel.packager.renditions.first { $0.name == "source" })
            let segments = try #require(rendition.snapshot()?.segments)

            // Before each segment's parts and URI, the key in effect is its period's.
            var current: String?
            var keyLines: [String] = []
            var checked = 0
            for line in lines {
                if line.hasPrefix("#EXT-X-KEY:") {
                    current = line
                    keyLines.append(line)
                } else if !line.hasPrefix("#") {
                    let msn = try #require(Int(line.prefix { $0 != "." && $0 != "?" }))
                    let period = msn / 4
                    let iv = "0x" + String(format: "%032X", period * 4)
                    #expect(current == "#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/\(period)?token=\(token)\",IV=\(iv)", "\(line)")
                    checked += 1
                }
            }
            #expect(checked == segments.filter(\.isComplete).count)
            let periods = Set(segments.map { $0.msn / 4 })
            #expect(keyLines.count == periods.count && periods.count >= 2, "\(keyLines)")
            // The map comes before any key: init segments are clear.
            let firstMap = try #require(lines.firstIndex { $0.hasPrefix("#EXT-X-MAP") })
            #expect(firstMap < lines.firstIndex { $0.hasPrefix("#EXT-X-KEY") }!)

            for period in periods.sorted() {
                let key = try await Self.get(client, "/hls/sealed/keys/\(period)?token=\(token)")
                #expect(key.status == .ok)
                #expect(key.headers[.cacheControl] == "private, no-store")
                #expect(Array(key.body.readableBytesView) == ContentKeys.derive(Self.contentSecret, channel: "sealed", period: period))
            }
            for segment in segments where segment.isComplete {
                let key = ContentKeys.derive(Self.contentSecret, channel: "sealed", period: segment.msn / 4)
                let iv = Self.encryption.iv(period: segment.msn / 4)
                let served = try await Self.get(client, "/hls/sealed/source/\(segment.msn).m4s?token=\(token)")
                #expect(served.status == .ok)
                let clear = try #require(rendition.segment(msn: segment.msn)).reduce(into: ByteBuffer()) { $0.writeImmutableBuffer($1) }
                #expect(served.body != clear)
                #expect(try SegmentCipher.decrypt(served.body, key: key, iv: iv) == clear)
                // Served again: the same bytes, from the cache.
                #expect(try await Self.get(client, "/hls/sealed/source/\(segment.msn).m4s?token=\(token)").body == served.body)
                let part = try await Self.get(client, "/hls/sealed/source/\(segment.msn).0.m4s?token=\(token)")
                if let clearPart = rendition.part(msn: segment.msn, index: 0) {
                    #expect(try SegmentCipher.decrypt(part.body, key: key, iv: iv) == clearPart)
                }
            }
            // The init segment is served clear.
            let initSegment = try await Self.get(client, "/hls/sealed/source/init.mp4?token=\(token)")
            #expect(initSegment.body == rendition.initSegment(index: 0))
        }
    }

    /// A key wants the same token as the playlist: none is a 401, a forged or another channel's a
    /// 403; and no key is given beyond the period after the newest segment's.
    @Test func theKeyRouteRefusesMissingAndForgedTokens() async throws {
        try await Self.withSetup { setup, client in
            let token = try setup.signer.sign(channel: "sealed", expiresAt: Self.now + 600)
            #expect(try await Self.get(client, "/hls/sealed/keys/0").status == .unauthorized)
            let forged = String(token.dropLast()) + (token.last == "A" ? "B" : "A")
            #expect(try await Self.get(client, "/hls/sealed/keys/0?token=\(forged)").status == .forbidden)
            let otherChannel = try setup.signer.sign(channel: "other", expiresAt: Self.now + 600)
            #expect(try await Self.get(client, "/hls/sealed/keys/0?token=\(otherChannel)").status == .forbidden)
            let expired = try setup.signer.sign(channel: "sealed", expiresAt: Self.now - 1)
            #expect(try await Self.get(client, "/hls/sealed/keys/0?token=\(expired)").status == .gone)
            #expect(try await Self.get(client, "/hls/sealed/keys/0?token=\(token)").status == .ok)
            #expect(try await Self.get(client, "/hls/sealed/keys/3?token=\(token)").status == .ok)
            #expect(try await Self.get(client, "/hls/sealed/keys/4?token=\(token)").status == .notFound)
            // The media of an encrypted channel is never served clear, nor without the token.
            #expect(try await Self.get(client, "/hls/sealed/source/1.m4s").status == .unauthorized)
        }
    }

    /// A key server that does not answer: its key and the media of its period are 503s, logged
    /// once, and the playlist is still served.
    @Test func anUnansweringKeyServerGivesServiceUnavailable() async throws {
        let log = LogCapture()
        let keys = ContentKeys(secret: nil, server: FailingKeyServer(), logger: log.logger())
        try await Self.withSetup(keys: keys, encryption: ContentEncryption(rotationSegments: 4, keyServer: "http://127.0.0.1:9/keys")) { setup, client in
            let token = try setup.signer.sign(channel: "sealed", expiresAt: Self.now + 600)
            #expect(try await Self.get(client, "/hls/sealed/source/index.m3u8?token=\(token)").status == .ok)
            #expect(try await Self.get(client, "/hls/sealed/keys/1?token=\(token)").status == .serviceUnavailable)
            #expect(try await Self.get(client, "/hls/sealed/source/5.m4s?token=\(token)").status == .serviceUnavailable)
            #expect(log.text.contains("key server did not give a key"))
        }
    }
}

/// A key server that never gives a key.
struct FailingKeyServer: ContentKeyServer {
    struct Refused: Error {}
    func key(server: String, channel: String, period: Int) async throws -> [UInt8] { throw Refused() }
}
