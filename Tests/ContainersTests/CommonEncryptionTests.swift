import Codecs
import MediaCore
import NIOCore
import Testing
@testable import Containers

/// `cbcs` rewriting (ISO/IEC 23001-7): the init segment's protected sample entry, each
/// fragment's encrypted samples and auxiliary information, read back and decrypted.
@Suite struct CommonEncryptionTests {
    static let protection = CommonEncryption.Protection(keyID: Array(0x10..<0x20), iv: Array(0xA0..<0xB0))
    static let key: [UInt8] = Array(0x30..<0x40)

    /// An invertible stand-in for AES (the module has no cryptography): XOR with the key, then
    /// the bytes reversed. Enough to tell encrypted blocks from clear ones and chain them.
    static func forward(_ block: inout UnsafeMutableBufferPointer<UInt8>) {
        for i in 0..<16 { block[i] ^= key[i] }
        block.reverse()
    }

    static func backward(_ block: inout UnsafeMutableBufferPointer<UInt8>) {
        block.reverse()
        for i in 0..<16 { block[i] ^= key[i] }
    }

    static func nal(_ header: UInt8, _ length: Int, seed: UInt8) -> [UInt8] {
        let body = [header] + (1..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) }
        return [0, 0, UInt8(length >> 8), UInt8(length & 0xFF)] + body
    }

    /// A key frame (SEI, a 400-byte IDR slice) and a frame of two slices, one too short to protect.
    static let videoSamples: [[UInt8]] = [
        nal(0x06, 20, seed: 1) + nal(0x65, 400, seed: 2),
        nal(0x41, 300, seed: 3) + nal(0x41, 40, seed: 4),
    ]

    static func fragment(_ samples: [[UInt8]], sequence: UInt32) -> ByteBuffer {
        FMP4Writer.fragment(sequenceNumber: sequence, baseMediaDecodeTime: UInt64(sequence) * 6000, samples: samples.enumerated().map {
            FragmentSample(duration: 3000, compositionOffset: 0, isSync: $0.offset == 0, data: ByteBuffer(bytes: $0.element))
        })
    }

    static let avc = CENCTrack(layout: .nalUnits(lengthSize: 4, hevc: false))

    static func sampleBytes(_ fragments: ByteBuffer) throws -> [[UInt8]] {
        let samples = try FMP4Reader.samples(inSegment: fragments, track: MP4Track(trackID: 1, mediaType: .video, timescale: 90_000, sampleEntry: []), source: 0)
        return samples.map { Array(fragments.readableBytesView[($0.offset)..<($0.offset + Int($0.size))]) }
    }

    @Test func initSegmentGetsAProtectedSampleEntry() throws {
        let track = try FMP4WriterTests.avcTrack()
        let clear = FMP4Writer.initSegment(for: track)
        let sealed = try CommonEncryption.protect(initSegment: clear, track: CENCTrack(track), default: Self.protection)
        let paths = boxPaths(sealed)
        #expect(paths.contains("/moov/trak/mdia/minf/stbl/stsd/encv/avcC"))
        #expect(paths.contains("/moov/trak/mdia/minf/stbl/stsd/encv/sinf/schi/tenc"))
        #expect(!paths.contains("/moov/trak/mdia/minf/stbl/stsd/avc1"))
        let bytes = Array(sealed.readableBytesView)
        #expect(bytes.count == clear.readableBytes + 8 + 12 + 20 + 8 + 12 + 21 + 16)
        // frma names the original entry, schm says cbcs 1.0, tenc v1 the 1:9 pattern, the KID and the IV.
        #expect(find(bytes, Array("frma".utf8) + Array("avc1".utf8)) != nil)
        #expect(find(bytes, Array("schm".utf8) + [0, 0, 0, 0] + Array("cbcs".utf8) + [0, 1, 0, 0]) != nil)
        #expect(find(bytes, Array("tenc".utf8) + [1, 0, 0, 0, 0, 0x19, 1, 0] + Self.protection.keyID + [16] + Self.protection.iv) != nil)
        // The reader still finds the one track, now with its protected entry.
        let read = try FMP4Reader.track(initSegment: sealed)
        #expect(read.sampleEntryType == "encv")
        #expect(read.timescale == 90_000)
    }

    @Test func audioInitSegmentIsEnca() throws {
        let aac = TrackInfo(codec: .aac, timescale: 48_000, decoderConfig: [0x11, 0x90], codecString: "mp4a.40.2",
                            audio: AudioParameters(sampleRate: 48_000, channelCount: 2, samplesPerFrame: 1024))
        let sealed = try CommonEncryption.protect(initSegment: FMP4Writer.initSegment(for: aac), track: CENCTrack(aac), default: Self.protection)
        #expect(boxPaths(sealed).contains("/moov/trak/mdia/minf/stbl/stsd/enca/sinf/schi/tenc"))
        #expect(find(Array(sealed.readableBytesView), Array("tenc".utf8) + [1, 0, 0, 0, 0, 0x00, 1, 0]) != nil)
    }

    @Test func videoSubsamplesKeepHeadersClear() throws {
        let subsamples = try Self.videoSamples.map { sample in
            try sample.withUnsafeBytes { try Self.avc.subsamples($0) }
        }
        // SEI (4 + 20) and the IDR's length and 32-byte leader clear; the other 368 bytes protected.
        #expect(subsamples[0] == [CENCSubsample(clear: 24 + 4 + 32, protected: 368)])
        // The 40-byte slice has 8 bytes past its leader, less than a block: clear whole.
        #expect(subsamples[1] == [CENCSubsample(clear: 36, protected: 268), CENCSubsample(clear: 44, protected: 0)])
    }

    @Test func fragmentRoundTrips() throws {
        let clear = Self.fragment(Self.videoSamples, sequence: 1)
        let sealed = try CommonEncryption.protect(fragments: clear, track: Self.avc, Self.protection, block: Self.forward)
        #expect(sealed != clear)
        let paths = boxPaths(sealed)
        for box in ["sbgp", "sgpd", "saiz", "saio", "senc"] { #expect(paths.contains("/moof/traf/\(box)")) }
        // The samples are where trun says, encrypted: the protected ranges differ, the clear ones do not.
        let sealedSamples = try Self.sampleBytes(sealed)
        #expect(sealedSamples.map(\.count) == Self.videoSamples.map(\.count))
        #expect(sealedSamples[0][..<60] == Self.videoSamples[0][..<60])
        #expect(sealedSamples[0][60..<76] != Self.videoSamples[0][60..<76])
        // 1:9: the block after the first encrypted one is clear.
        #expect(sealedSamples[0][76..<220] == Self.videoSamples[0][76..<220])
        #expect(sealedSamples[0][220..<236] != Self.videoSamples[0][220..<236])
        #expect(sealedSamples[1][300...] == Self.videoSamples[1][300...])

        let cleared = try CommonEncryption.clear(fragments: sealed, track: Self.avc, block: Self.backward)
        #expect(try Self.sampleBytes(cleared.bytes) == Self.videoSamples)
        #expect(cleared.protections == [Self.protection])
        #expect(cleared.subsamples[0] == [CENCSubsample(clear: 60, protected: 368)])
        // saio points at the first sample's entry in senc: subsample_count 1, then 60 clear bytes.
        let bytes = Array(sealed.readableBytesView)
        let saio = try #require(find(bytes, Array("saio".utf8)))
        let offset = bytes[(saio + 12)..<(saio + 16)].reduce(0) { $0 << 8 | Int($1) }
        #expect(Array(bytes[offset..<(offset + 4)]) == [0, 1, 0, 60])
    }

    @Test func segmentIsItsPartsProtected() throws {
        let parts = [Self.fragment(Self.videoSamples, sequence: 1), Self.fragment(Self.videoSamples.reversed(), sequence: 2)]
        var segment = ByteBuffer()
        for var part in parts { segment.writeBuffer(&part) }
        let sealedSegment = try CommonEncryption.protect(fragments: segment, track: Self.avc, Self.protection, block: Self.forward)
        var joined = ByteBuffer()
        for part in parts {
            var sealed = try CommonEncryption.protect(fragments: part, track: Self.avc, Self.protection, block: Self.forward)
            joined.writeBuffer(&sealed)
        }
        #expect(sealedSegment == joined)
        // And the same bytes on every call.
        #expect(try CommonEncryption.protect(fragments: segment, track: Self.avc, Self.protection, block: Self.forward) == sealedSegment)
    }

    @Test func audioSamplesAreWholeBlocks() throws {
        let samples: [[UInt8]] = [Array(repeating: 7, count: 37), Array(repeating: 9, count: 10)]
        let clear = Self.fragment(samples, sequence: 3)
        let track = CENCTrack(layout: .wholeSample)
        let sealed = try CommonEncryption.protect(fragments: clear, track: track, Self.protection, block: Self.forward)
        // A constant IV and no subsamples: no sample auxiliary information (§7.1).
        #expect(!boxPaths(sealed).contains("/moof/traf/senc") && boxPaths(sealed).contains("/moof/traf/sgpd"))
        let sealedSamples = try Self.sampleBytes(sealed)
        // Two whole blocks encrypted, the 5-byte tail and the 10-byte sample clear.
        #expect(sealedSamples[0][..<32] != samples[0][..<32])
        #expect(sealedSamples[0][32...] == samples[0][32...])
        #expect(sealedSamples[1] == samples[1])
        let cleared = try CommonEncryption.clear(fragments: sealed, track: track, block: Self.backward)
        #expect(try Self.sampleBytes(cleared.bytes) == samples)
        #expect(cleared.subsamples == [[], []])
    }

    @Test func protectedFragmentsAreRefused() throws {
        let sealed = try CommonEncryption.protect(fragments: Self.fragment(Self.videoSamples, sequence: 1), track: Self.avc,
                                                  Self.protection, block: Self.forward)
        #expect(throws: ContainersError.self) {
            try CommonEncryption.protect(fragments: sealed, track: Self.avc, Self.protection, block: Self.forward)
        }
    }

    func find(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
