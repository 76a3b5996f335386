import Codecs
import MediaCore
import NIOCore
import Testing
import TestSupport
@testable import Containers

/// Audio programmes in several languages: every audio stream of the PMT is kept, each with the
/// language of its `ISO_639_language_descriptor` (ISO/IEC 13818-1 §2.6.18).
@Suite struct TSLanguageTests {
    @Test func ffmpegTwoLanguages() throws {
        let result = try demux(try Vectors.bytes("two_languages.ts"))
        let tracks = try #require(result.tracks.first)
        #expect(result.tracks.count == 1)
        #expect(tracks.map(\.pid) == [0x100, 0x101, 0x102])
        #expect(tracks.map(\.info.codec) == [.h264, .aac, .aac])
        #expect(tracks.map(\.info.language?.value) == [nil, "eng", "fra"])
        // ffprobe -count_packets: 25, 48 and 48.
        #expect(result.samples(0).count == 25)
        #expect(result.samples(1).count == 48)
        #expect(result.samples(2).count == 48)
        #expect(result.statistics.droppedPES == 0)
        #expect(result.statistics.droppedSamples == 0)
    }

    /// The muxer writes the descriptor of an ISO 639-2 language, and the demuxer reads it back.
    @Test func roundTrip() throws {
        let audio = TrackInfo.aac(AudioSpecificConfig(samplingFrequency: 48_000, channelConfiguration: 2))
        var english = audio
        english.language = LanguageTag("eng")
        var french = audio
        french.language = LanguageTag("fra")
        var twoLetters = audio
        twoLetters.language = LanguageTag("de")  // no room in the descriptor: written without
        var muxer = try TSMuxer(tracks: [english, french, audio, twoLetters])
        var bytes = ByteBuffer()
        let frame = [UInt8](repeating: 0x21, count: 20)
        for dts in [0, 1_024] as [Int64] {
            for track in 0..<4 {
                try muxer.write(track: track, sample: Sample(dts: dts, isSync: true, data: ByteBuffer(bytes: frame)), into: &bytes)
            }
        }
        let result = try demux(Array(bytes.readableBytesView))
        let tracks = try #require(result.tracks.last)
        #expect(tracks.map(\.info.language?.value) == ["eng", "fra", nil, nil])
    }

    /// PMT entries with no descriptor, `und`, a code that is not letters, a descriptor cut short.
    @Test(arguments: [
        ([], nil),
        ([0x0A, 4] + Array("und".utf8) + [0], nil),
        ([0x0A, 4, 0x65, 0x6E, 0x00, 0], nil),
        ([0x0A, 3] + Array("eng".utf8), nil),
        ([0x0A, 4] + Array("ENG".utf8) + [3], "eng"),
        ([0x05, 4] + Array("Opus".utf8) + [0x0A, 8] + Array("deu".utf8) + [0] + Array("eng".utf8) + [0], "deu"),
    ] as [([UInt8], String?)])
    func descriptor(bytes: [UInt8], language: String?) {
        #expect(TSDescriptor.language(bytes)?.value == language)
    }
}
