import Archive
import Containers
import Crypto
import Foundation
import HummingbirdTesting
import Logging
import MediaCore
import NIOCore
import Packager
import Testing
@testable import Delivery
import _CryptoExtras

/// `cbcs` at serve time: protected init segments, fragments that name their period's key and
/// decrypt with it (AES from swift-crypto), segments that are their parts, `SAMPLE-AES` playlist
/// lines and the MPD's `ContentProtection`.
@Suite(.serialized) struct CommonEncryptionRouteTests {
    static let encryption = ContentEncryption(rotationSegments: 4, scheme: .cbcs)

    static func join(_ buffers: [ByteBuffer]) -> ByteBuffer {
        buffers.reduce(into: ByteBuffer()) { $0.writeImmutableBuffer($1) }
    }

    static func decrypt(_ sealed: ByteBuffer, track: TrackInfo, key: [UInt8]) throws -> CommonEncryption.Cleared {
        let symmetricKey = SymmetricKey(data: key)
        return try CommonEncryption.clear(fragments: sealed, track: CENCTrack(track)) { try AES.inversePermute(&$0, key: symmetricKey) }
    }

    @Test func keyIDsNameTheirChannelAndPeriod() {
        let id = ContentEncryption.keyID(channel: "tv1", period: 0x0102)
        #expect(id.count == 16)
        #expect(Array(id.suffix(8)) == [0, 0, 0, 0, 0, 0, 1, 2])
        #expect(id == ContentEncryption.keyID(channel: "tv1", period: 0x0102))
        #expect(id.prefix(8) != ContentEncryption.keyID(channel: "tv2", period: 0x0102).prefix(8))
    }

    /// Real AES: a fragment with a long slice encrypts and decrypts back to its samples.
    @Test func aesRoundTripsAFragment() throws {
        let track = TrackInfo(codec: .h264, timescale: 90_000, decoderConfig: [1, 0x64, 0, 0x1F, 0xFF, 0xE0, 0], codecString: "avc1.64001f")
        let slice = [UInt8](repeating: 0, count: 4) + [0x65] + (0..<999).map { UInt8(truncatingIfNeeded: $0 * 13) }
        var sample = slice
        sample[2] = UInt8(1000 >> 8)
        sample[3] = UInt8(1000 & 0xFF)
        let clear = FMP4Writer.fragment(sequenceNumber: 1, baseMediaDecodeTime: 0, samples: [
            FragmentSample(duration: 3000, compositionOffset: 0, isSync: true, data: ByteBuffer(bytes: sample)),
        ])
        let key = ContentKeys.derive(EncryptionTests.contentSecret, channel: "tv1", period: 3)
        let sealed = try Self.encryption.protect([clear], channel: "tv1", period: 3, key: key, layout: CENCTrack(track))
        #expect(sealed != clear)
        #expect(try Self.encryption.protect([clear], channel: "tv1", period: 3, key: key, layout: CENCTrack(track)) == sealed)
        let cleared = try Self.decrypt(sealed, track: track, key: key)
        #expect(cleared.protections == [CommonEncryption.Protection(keyID: ContentEncryption.keyID(channel: "tv1", period: 3), iv: Self.encryption.iv(period: 3))])
        #expect(cleared.subsamples == [[CENCSubsample(clear: 36, protected: 968)]])
        let m = MP4Track(trackID: 1, mediaType: .video, timescale: 90_000, sampleEntry: [])
        let sampleAt = try #require(FMP4Reader.samples(inSegment: cleared.bytes, track: m, source: 0).first)
        #expect(Array(cleared.bytes.readableBytesView[sampleAt.offset..<(sampleAt.offset + Int(sampleAt.size))]) == sample)
        let sealedAt = try #require(FMP4Reader.samples(inSegment: sealed, track: m, source: 0).first)
        #expect(Array(sealed.readableBytesView[sealedAt.offset..<(sealedAt.offset + Int(sealedAt.size))]) != sample)
    }

    /// An archived segment of a channel that is not live (after a restart, or offline) is
    /// protected with the layout of the init segment it was archived with.
    @Test(.bug("an archived cbcs segment answered 500 while its channel was not live"))
    func anArchivedSegmentOfAnOfflineChannelIsProtected() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-cbcs-archive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = DiskArchiveStore(root: root)
        let track = TrackInfo(codec: .h264, timescale: 90_000, decoderConfig: [1, 0x64, 0, 0x1F, 0xFF, 0xE0, 0], codecString: "avc1.64001f")
        let slice: [UInt8] = [0, 0, 0x03, 0xE8, 0x65] + (0..<999).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let clear = FMP4Writer.fragment(sequenceNumber: 1, baseMediaDecodeTime: 0, samples: [
            FragmentSample(duration: 3000, compositionOffset: 0, isSync: true, data: ByteBuffer(bytes: slice)),
        ])
        let segment = CompletedSegment(
            channel: "gone", rendition: "source", msn: 9, startDTS: 0, duration: 180_000, timescale: 90_000,
            programDateTime: LiveChannelFixture.now - 60_000, discontinuity: false, gap: false, track: track,
            initSegment: FMP4Writer.initSegment(for: track), parts: [clear])
        let record = SegmentRecord(segment)
        try await store.put(record.initKey, FMP4Writer.initSegment(for: track))
        let routes = PlaybackRoutes(
            packagers: PackagerRegistry(), archive: ArchiveReader(store: store, now: { LiveChannelFixture.now }),
            protection: ContentProtection(keys: ContentKeys(secret: EncryptionTests.contentSecret, logger: Logger(label: "test"))) {
                $0 == "gone" ? Self.encryption : nil
            },
            now: { LiveChannelFixture.now })
        let components = try record.key.components.map(String.init)
        let file = "source/" + components[2...4].joined(separator: "-")
        let served = await routes.sealedArchive(.fragment([clear]), channel: "gone", rendition: "source", file: file)
        #expect(served.status == .ok)
        guard case .buffers(let buffers) = served.body else {
            Issue.record("no bytes: \(served.body)")
            return
        }
        let sealed = Self.join(buffers)
        #expect(sealed != clear)
        let key = ContentKeys.derive(EncryptionTests.contentSecret, channel: "gone", period: Self.encryption.period(ofMSN: 9))
        let cleared = try Self.decrypt(sealed, track: track, key: key)
        let m = MP4Track(trackID: 1, mediaType: .video, timescale: 90_000, sampleEntry: [])
        let samples = try FMP4Reader.samples(inSegment: cleared.bytes, track: m, source: 0)
        #expect(samples.count == 1)
        #expect(samples.first.map { Array(cleared.bytes.readableBytesView[$0.offset..<($0.offset + Int($0.size))]) } == slice)
    }

    @Test func initSegmentsPartsAndSegmentsAreProtected() async throws {
        try await EncryptionTests.withSetup(encryption: Self.encryption) { setup, client in
            let token = try setup.signer.sign(channel: "sealed", expiresAt: EncryptionTests.now + 600)
            let rendition = try #require(setup.channel.packager.renditions.first { $0.name == "source" })
            let track = try #require(rendition.track)

            let initSegment = try await EncryptionTests.get(client, "/hls/sealed/source/init.mp4?token=\(token)")
            #expect(initSegment.status == .ok)
            let read = try FMP4Reader.track(initSegment: initSegment.body)
            #expect(read.sampleEntryType == "encv")
            #expect(initSegment.body != rendition.initSegment(index: 0))

            let playlist = String(buffer: try await EncryptionTests.get(client, "/hls/sealed/source/index.m3u8?token=\(token)").body)
            let keyLines = playlist.split(separator: "\n").filter { $0.hasPrefix("#EXT-X-KEY:") }
            #expect(!keyLines.isEmpty)
            for line in keyLines {
                #expect(line.hasPrefix("#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"../keys/"), "\(line)")
                #expect(line.contains("?token=\(token)\",IV=0x") && line.hasSuffix(",KEYFORMAT=\"identity\""), "\(line)")
            }
            #expect(!playlist.contains("METHOD=NONE"))

            let segments = try #require(rendition.snapshot()?.segments).filter { $0.isComplete }
            for segment in segments.prefix(6) {
                let period = segment.msn / 4
                let key = ContentKeys.derive(EncryptionTests.contentSecret, channel: "sealed", period: period)
                let served = try await EncryptionTests.get(client, "/hls/sealed/source/\(segment.msn).m4s?token=\(token)")
                #expect(served.status == .ok)
                let clear = Self.join(try #require(rendition.segment(msn: segment.msn)))
                #expect(served.body != clear)
                let cleared = try Self.decrypt(served.body, track: track, key: key)
                #expect(cleared.protections.allSatisfy { $0.keyID == ContentEncryption.keyID(channel: "sealed", period: period) })
                // The samples are the clear ones.
                let m = MP4Track(trackID: 1, mediaType: .video, timescale: 90_000, sampleEntry: [])
                let clearSamples = try FMP4Reader.samples(inSegment: clear, track: m, source: 0)
                let servedSamples = try FMP4Reader.samples(inSegment: cleared.bytes, track: m, source: 0)
                #expect(clearSamples.map(\.size) == servedSamples.map(\.size))
                for (a, b) in zip(clearSamples, servedSamples) {
                    #expect(clear.readableBytesView[a.offset..<(a.offset + Int(a.size))].elementsEqual(
                        cleared.bytes.readableBytesView[b.offset..<(b.offset + Int(b.size))]))
                }
                // A segment is its parts, each protected on its own.
                var parts: [ByteBuffer] = []
                for index in segment.parts.indices {
                    parts.append(try await EncryptionTests.get(client, "/hls/sealed/source/\(segment.msn).\(index).m4s?token=\(token)").body)
                }
                if !parts.isEmpty { #expect(Self.join(parts) == served.body) }
            }
        }
    }

    @Test func theMPDOfACBCSChannelCarriesContentProtection() async throws {
        try await EncryptionTests.withSetup(encryption: Self.encryption) { setup, client in
            let token = try setup.signer.sign(channel: "sealed", expiresAt: EncryptionTests.now + 600)
            let response = try await EncryptionTests.get(client, "/dash/sealed/manifest.mpd?token=\(token)")
            #expect(response.status == .ok)
            let text = String(buffer: response.body)
            #expect(text.contains("xmlns:cenc=\"urn:mpeg:cenc:2013\""))
            let kid = ContentEncryption.keyID(channel: "sealed", period: 0).map { String(format: "%02x", $0) }.joined()
            let uuid = [kid.prefix(8), kid.dropFirst(8).prefix(4), kid.dropFirst(12).prefix(4), kid.dropFirst(16).prefix(4), kid.dropFirst(20)].joined(separator: "-")
            #expect(text.contains("<ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" value=\"cbcs\" cenc:default_KID=\"\(uuid)\"/>"), "\(text)")
            #expect(text.contains("<dashif:Laurl>../../hls/sealed/keys/?token=\(token)</dashif:Laurl>"), "\(text)")
        }
        // AES-128 stays HLS only.
        try await EncryptionTests.withSetup { setup, client in
            let token = try setup.signer.sign(channel: "sealed", expiresAt: EncryptionTests.now + 600)
            #expect(try await EncryptionTests.get(client, "/dash/sealed/manifest.mpd?token=\(token)").status == .notFound)
        }
    }
}
