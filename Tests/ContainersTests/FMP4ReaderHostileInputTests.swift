import MediaCore
import NIOCore
import Testing
import TestSupport
@testable import Containers

/// Malformed and hostile fMP4: every case ends in a `ContainersError`, never a trap.
@Suite struct FMP4ReaderHostileInputTests {
    static func fixture() throws -> (track: MP4Track, initSegment: ByteBuffer, segment: ByteBuffer) {
        let video = try ClipVector.renditions().video
        return (try FMP4Reader.track(initSegment: video.initSegment), video.initSegment, video.segments[0])
    }

    static func patched(_ buffer: ByteBuffer, at index: Int, _ value: UInt32) -> ByteBuffer {
        var copy = buffer
        copy.setInteger(value, at: index)
        return copy
    }

    /// Index of the first occurrence of a box type (its size field is 4 bytes before).
    static func find(_ type: String, in buffer: ByteBuffer) throws -> Int {
        let bytes = Array(buffer.readableBytesView), needle = Array(type.utf8)
        let at = try #require((0..<bytes.count - 4).first { Array(bytes[$0..<$0 + 4]) == needle })
        return at - 4
    }

    @Test func everyTruncatedInitSegmentFails() throws {
        let (_, initSegment, _) = try Self.fixture()
        for length in 0..<initSegment.readableBytes {
            #expect(throws: ContainersError.self) { try FMP4Reader.track(initSegment: initSegment.getSlice(at: 0, length: length)!) }
        }
    }

    /// A prefix either fails or yields only samples whose bytes lie inside it.
    @Test func everyTruncatedSegmentFailsOrStaysInside() throws {
        let (track, _, segment) = try Self.fixture()
        for length in 0..<segment.readableBytes {
            let prefix = segment.getSlice(at: 0, length: length)!
            do {
                let samples = try FMP4Reader.samples(inSegment: prefix, track: track, source: 0)
                #expect(samples.allSatisfy { $0.offset + Int($0.size) <= length })
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func hugeBoxSizesFail() throws {
        let (track, initSegment, segment) = try Self.fixture()
        let moof = try Self.find("moof", in: segment)
        #expect(throws: ContainersError.self) {
            try FMP4Reader.samples(inSegment: Self.patched(segment, at: moof, 0xFFFF_FFF0), track: track, source: 0)
        }
        // largesize (size 1) far past the end.
        var large = Self.patched(segment, at: moof, 1)
        large.setInteger(UInt64.max, at: moof + 8)
        #expect(throws: ContainersError.self) { try FMP4Reader.samples(inSegment: large, track: track, source: 0) }
        // A box smaller than its own header.
        #expect(throws: ContainersError.self) {
            try FMP4Reader.samples(inSegment: Self.patched(segment, at: moof, 4), track: track, source: 0)
        }
        let moov = try Self.find("moov", in: initSegment)
        #expect(throws: ContainersError.self) { try FMP4Reader.track(initSegment: Self.patched(initSegment, at: moov, 0x7FFF_FFFF)) }
        let stsd = try Self.find("stsd", in: initSegment)
        #expect(throws: ContainersError.self) { try FMP4Reader.track(initSegment: Self.patched(initSegment, at: stsd + 12, 0)) }
    }

    @Test func hugeSampleCountsFail() throws {
        let (track, _, segment) = try Self.fixture()
        let countAt = try Self.find("trun", in: segment) + 12
        #expect(throws: ContainersError.limitExceeded(what: "trun sample_count", value: 0x7FFF_FFFF, limit: MP4Limits.samplesPerRun)) {
            try FMP4Reader.samples(inSegment: Self.patched(segment, at: countAt, 0x7FFF_FFFF), track: track, source: 0)
        }
        // Under the limit but more entries than the box holds.
        #expect(throws: ContainersError.self) {
            try FMP4Reader.samples(inSegment: Self.patched(segment, at: countAt, 10_000), track: track, source: 0)
        }
    }

    @Test func dataOutsideAnMdatFails() throws {
        let (track, _, segment) = try Self.fixture()
        let dataOffsetAt = try Self.find("trun", in: segment) + 16
        for offset: Int32 in [0, -1_000_000, 1_000_000, .max, .min] {
            #expect(throws: ContainersError.self) {
                try FMP4Reader.samples(inSegment: Self.patched(segment, at: dataOffsetAt, UInt32(bitPattern: offset)), track: track, source: 0)
            }
        }
        // A sample size that runs past the mdat.
        let firstSizeAt = dataOffsetAt + 4 + 4
        #expect(throws: ContainersError.self) {
            try FMP4Reader.samples(inSegment: Self.patched(segment, at: firstSizeAt, 0xFFFF_FFFF), track: track, source: 0)
        }
    }

    @Test func otherTracksAndSampleEntriesAreNotMixedIn() throws {
        let (track, _, segment) = try Self.fixture()
        var other = track
        other.trackID = 2
        #expect(try FMP4Reader.samples(inSegment: segment, track: other, source: 0).isEmpty)
        var second = track
        second.defaults.sampleDescriptionIndex = 2
        #expect(throws: ContainersError.self) { try FMP4Reader.samples(inSegment: segment, track: second, source: 0) }
    }

    /// Seeded byte corruption all over a segment and an init segment.
    @Test func corruptedBytesNeverTrap() throws {
        let (track, initSegment, segment) = try Self.fixture()
        var rng = SplitMix64(seed: 0x5EED)
        for _ in 0..<3_000 {
            var bytes = Array(segment.readableBytesView.prefix(2_048))
            for _ in 0..<1 + Int(rng.next() % 4) {
                bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            _ = try? FMP4Reader.samples(inSegment: ByteBuffer(bytes: bytes), track: track, source: 0)
            var header = Array(initSegment.readableBytesView)
            header[Int(rng.next() % UInt64(header.count))] = UInt8(truncatingIfNeeded: rng.next())
            _ = try? FMP4Reader.track(initSegment: ByteBuffer(bytes: header))
        }
    }
}
