import MediaCore
import NIOCore
import Testing
@testable import Archive

/// The language of an audio rendition outlives the channel: catch-up and recordings list it.
@Suite struct RenditionDescriptorTests {
    static let french = TrackInfo(
        codec: .aac, timescale: 48_000, decoderConfig: [0x11, 0x90], codecString: "mp4a.40.2",
        audio: AudioParameters(sampleRate: 48_000, channelCount: 2, samplesPerFrame: 1_024), language: LanguageTag("fra"))

    @Test func theLanguageIsKept() throws {
        let descriptor = try RenditionDescriptor(decoding: RenditionDescriptor(Self.french).encoded)
        #expect(descriptor.languageTag?.value == "fra")
    }

    @Test func olderDescriptorsAndBadTagsHaveNone() throws {
        let old = try RenditionDescriptor(decoding: ByteBuffer(string: #"{"channels":2,"codecs":"mp4a.40.2","mediaType":"audio"}"#))
        #expect(old.language == nil && old.languageTag == nil)
        let bad = try RenditionDescriptor(decoding: ByteBuffer(string: #"{"codecs":"mp4a.40.2","language":"fr\"><x","mediaType":"audio"}"#))
        #expect(bad.languageTag == nil)
        // A track without a language writes the same descriptor as before.
        var plain = Self.french
        plain.language = nil
        #expect(String(buffer: RenditionDescriptor(plain).encoded) == #"{"channels":2,"codecs":"mp4a.40.2","mediaType":"audio"}"#)
    }
}
