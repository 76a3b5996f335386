import MediaCore
import NIOCore
import Testing
@testable import Containers

/// Layout decisions checked on the header alone: offset width, interleaving, edits, tables.
@Suite struct MP4ClipLayoutTests {
    static let avc1 = [0, 0, 0, 8] + Array("avc1".utf8)
    static let mp4a = [0, 0, 0, 8] + Array("mp4a".utf8)

    /// `count` samples of `size` bytes, `duration` apart, one source segment per `perSegment`.
    static func samples(count: Int, size: UInt32, duration: UInt32, start: Int64 = 0, perSegment: Int, sourceBase: Int = 0,
                        sync: (Int) -> Bool = { _ in true }, offset: (Int) -> Int32 = { _ in 0 }) -> [MP4Sample] {
        var samples: [MP4Sample] = []
        samples.reserveCapacity(count)
        var position = 0
        for i in 0..<count {
            if i % perSegment == 0 { position = 100 }
            samples.append(MP4Sample(decodeTime: start + Int64(i) * Int64(duration), duration: duration, compositionOffset: offset(i),
                                     size: size, isSync: sync(i), source: sourceBase + i / perSegment, offset: position))
            position += Int(size)
        }
        return samples
    }

    /// Reads a FullBox's u32 fields after version/flags, for the first box of `type` in the header.
    static func fields(_ type: String, in header: ByteBuffer, count: Int) throws -> [UInt32] {
        let bytes = Array(header.readableBytesView), needle = Array(type.utf8)
        let at = try #require((0..<bytes.count - 4).first { Array(bytes[$0..<$0 + 4]) == needle }) + 8
        return (0..<count).map { header.getInteger(at: at + 4 * $0)! }
    }

    @Test func offsetsOver4GiBUseCo64AndLargeMdat() throws {
        // 50 samples of 100 MB: 5 GB of media, laid out without any data.
        let video = MP4Track(trackID: 1, mediaType: .video, timescale: 90_000, sampleEntry: Self.avc1)
        let layout = try MP4ClipWriter.layout(tracks: [MP4ClipTrack(track: video, samples: Self.samples(
            count: 50, size: 100_000_000, duration: 3000, perSegment: 1))])
        #expect(layout.totalSize > Int64(UInt32.max))
        let paths = boxPaths(layout.header)
        #expect(paths.contains("/moov/trak/mdia/minf/stbl/co64"))
        #expect(!paths.contains("/moov/trak/mdia/minf/stbl/stco"))
        // mdat with largesize: size 1, type, 64-bit size, at the end of the header.
        let mdatAt = layout.header.readableBytes - 16
        #expect(layout.header.getInteger(at: mdatAt, as: UInt32.self) == 1)
        #expect(layout.header.getString(at: mdatAt + 4, length: 4) == "mdat")
        #expect(layout.header.getInteger(at: mdatAt + 8, as: UInt64.self) == UInt64(layout.mediaBytes + 16))
        // The last chunk's offset is that of the last range.
        let co64 = try Self.fields("co64", in: layout.header, count: 1)
        #expect(co64 == [50])
        let bytes = Array(layout.header.readableBytesView), needle = Array("co64".utf8)
        let table = try #require((0..<bytes.count - 4).first { Array(bytes[$0..<$0 + 4]) == needle }) + 12
        let last = layout.header.getInteger(at: table + 8 * 49, as: UInt64.self)
        #expect(last.map(Int64.init) == layout.ranges.last?.fileOffset)
        #expect(layout.ranges.last?.fileOffset ?? 0 > Int64(UInt32.max))
    }

    @Test func smallClipsUseStco() throws {
        let audio = MP4Track(trackID: 1, mediaType: .audio, timescale: 48_000, sampleEntry: Self.mp4a)
        let layout = try MP4ClipWriter.layout(tracks: [MP4ClipTrack(track: audio, samples: Self.samples(
            count: 100, size: 300, duration: 1024, perSegment: 94))])
        let paths = boxPaths(layout.header)
        #expect(paths.contains("/moov/trak/mdia/minf/stbl/stco"))
        #expect(!paths.contains("/moov/trak/mdia/minf/stbl/stss"))  // all sync
        #expect(!paths.contains("/moov/trak/mdia/minf/stbl/ctts"))  // no offset
        // stsz: one size for all; stts: one run.
        #expect(try Self.fields("stsz", in: layout.header, count: 2) == [300, 100])
        #expect(try Self.fields("stts", in: layout.header, count: 3) == [1, 100, 1024])
        // Chunks end after 1 s (47 frames) or at a segment boundary (94): 47, 47, 6.
        #expect(try Self.fields("stsc", in: layout.header, count: 7) == [2, 1, 47, 1, 3, 6, 1])
    }

    /// Video that starts later than audio gets a leading empty edit; the chunks alternate.
    @Test func tracksAreAlignedAndInterleaved() throws {
        let video = MP4Track(trackID: 1, mediaType: .video, timescale: 90_000, sampleEntry: Self.avc1)
        let audio = MP4Track(trackID: 1, mediaType: .audio, timescale: 48_000, sampleEntry: Self.mp4a)
        // Video decoded from 0.5 s (45 000) and reordered (presentation times 6000, 3000, 12000,
        // 9000, … after it); audio from 0.
        let v = Self.samples(count: 120, size: 1_000, duration: 3000, start: 45_000, perSegment: 60,
                             sync: { $0 % 30 == 0 }, offset: { $0 % 2 == 0 ? 6000 : 0 })
        let a = Self.samples(count: 200, size: 200, duration: 1024, perSegment: 94, sourceBase: 10)
        let layout = try MP4ClipWriter.layout(tracks: [MP4ClipTrack(track: video, samples: v), MP4ClipTrack(track: audio, samples: a)])
        // Video elst: an empty edit until its first presented frame (45 000 + 3000 at 90 kHz), then
        // media from 3000 for 4 s.
        let elst = try Self.fields("elst", in: layout.header, count: 7)
        #expect(elst == [2, 48_000, UInt32(bitPattern: -1), 0x0001_0000, 360_000, 3000, 0x0001_0000])
        // Ranges alternate between the tracks' sources rather than putting one track first.
        let order = layout.ranges.map { $0.source >= 10 ? "a" : "v" }
        #expect(order.prefix(4) == ["a", "v", "a", "v"] || order.prefix(4) == ["v", "a", "v", "a"], "\(order)")
        #expect(try Self.fields("stss", in: layout.header, count: 5) == [4, 1, 31, 61, 91])
    }

    @Test func emptyOrInvalidTracksFail() {
        let video = MP4Track(trackID: 1, mediaType: .video, timescale: 90_000, sampleEntry: Self.avc1)
        #expect(throws: ContainersError.self) { try MP4ClipWriter.layout(tracks: []) }
        #expect(throws: ContainersError.self) { try MP4ClipWriter.layout(tracks: [MP4ClipTrack(track: video, samples: [])]) }
        var zero = video
        zero.timescale = 0
        #expect(throws: ContainersError.self) {
            try MP4ClipWriter.layout(tracks: [MP4ClipTrack(track: zero, samples: Self.samples(count: 1, size: 1, duration: 1, perSegment: 1))])
        }
        #expect(throws: ContainersError.self) {
            try MP4ClipWriter.layout(tracks: [MP4ClipTrack(track: video, samples: Self.samples(count: 2, size: 1, duration: 1, start: -5, perSegment: 1))])
        }
    }
}
