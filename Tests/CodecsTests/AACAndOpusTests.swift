import MediaCore
import Testing
@testable import Codecs

@Suite struct AudioSpecificConfigTests {
    /// One table shared by parse and serialise tests: bytes, then what they mean.
    static let cases: [(bytes: [UInt8], asc: AudioSpecificConfig, codec: String, rate: Int, channels: Int, spf: Int)] = [
        // AAC-LC 44.1 kHz stereo (ffmpeg's default for FLV, without its sync extension).
        ([0x12, 0x10], AudioSpecificConfig(samplingFrequency: 44_100, channelConfiguration: 2), "mp4a.40.2", 44_100, 2, 1024),
        // AAC-LC 48 kHz mono.
        ([0x11, 0x88], AudioSpecificConfig(samplingFrequency: 48_000, channelConfiguration: 1), "mp4a.40.2", 48_000, 1, 1024),
        // HE-AAC explicit hierarchical: AOT 5, core 24 kHz, SBR 48 kHz, stereo, core AOT 2.
        ([0x2B, 0x11, 0x88, 0x00], AudioSpecificConfig(audioObjectType: 5, samplingFrequency: 24_000, channelConfiguration: 2,
                                                       extensionSamplingFrequency: 48_000), "mp4a.40.5", 48_000, 2, 2048),
        // HE-AAC v2: AOT 29, core 24 kHz mono + PS, SBR 48 kHz.
        ([0xEB, 0x09, 0x88, 0x00], AudioSpecificConfig(audioObjectType: 29, samplingFrequency: 24_000, channelConfiguration: 1,
                                                       extensionSamplingFrequency: 48_000), "mp4a.40.29", 48_000, 2, 2048),
        // Explicit frequency (index 15): 50 kHz stereo AAC-LC.
        ([0x17, 0x80, 0x61, 0xA8, 0x10], AudioSpecificConfig(samplingFrequency: 50_000, channelConfiguration: 2), "mp4a.40.2", 50_000, 2, 1024),
    ]

    @Test(arguments: 0..<cases.count) func parsesAndSerialises(_ i: Int) throws {
        let c = Self.cases[i]
        let parsed = try AudioSpecificConfig(parsing: c.bytes)
        #expect(parsed == c.asc)
        #expect(c.asc.serialized() == c.bytes)
        #expect(parsed.codecString == c.codec)
        #expect(parsed.audioParameters == AudioParameters(sampleRate: c.rate, channelCount: c.channels, samplesPerFrame: c.spf))
    }

    @Test(.bug("fuzz/corpus audio-config: Scalable AAC (object type 6) was serialised without layerNr, and read back wrong"))
    func scalableAACKeepsItsLayerNumberField() throws {
        let config = AudioSpecificConfig(audioObjectType: 6, samplingFrequency: 48_000, channelConfiguration: 2)
        #expect(try AudioSpecificConfig(parsing: config.serialized()) == config)
        // 5 bits type, 4 frequency, 4 channels, 3 GASpecificConfig flags, 3 layerNr: 19 bits.
        #expect(config.serialized().count == 3)
    }

    @Test func readsBackwardCompatibleSyncExtension() throws {
        // ffmpeg's FLV sequence header: AAC-LC 44.1 kHz stereo + sync extension 0x2B7 saying "no SBR".
        let lc = try AudioSpecificConfig(parsing: [0x12, 0x10, 0x56, 0xE5, 0x00])
        #expect(lc == AudioSpecificConfig(samplingFrequency: 44_100, channelConfiguration: 2))
        // Implicit HE-AAC: LC 22.05 kHz core + sync extension with SBR at 44.1 kHz.
        let he = AudioSpecificConfig(samplingFrequency: 22_050, channelConfiguration: 2, sbrPresent: true, extensionSamplingFrequency: 44_100)
        let reparsed = try AudioSpecificConfig(parsing: he.serialized())
        #expect(reparsed == he)
        #expect(reparsed.codecString == "mp4a.40.5")
        #expect(reparsed.audioParameters.sampleRate == 44_100)
    }

    @Test func refusesWhatItCannotCarry() {
        #expect(throws: CodecsError.self) { try AudioSpecificConfig(parsing: [0x12]) }
        #expect(throws: CodecsError.unsupported(what: "AudioSpecificConfig", reason: "channelConfiguration 0")) {
            try AudioSpecificConfig(parsing: [0x12, 0x00])
        }
        #expect(throws: CodecsError.self) { try AudioSpecificConfig(parsing: [0x16, 0x90]) }  // reserved index 13
    }
}

@Suite struct ADTSTests {
    @Test func walksFFmpegADTSFile() throws {
        let bytes = try Vectors.bytes("aac_lc_44100_stereo.adts")
        var offset = 0, frames = 0
        while offset < bytes.count {
            let header = try ADTSHeader(parsing: Array(bytes[offset...]))
            #expect(header.profile == 1)
            #expect(header.samplingFrequencyIndex == 4)
            #expect(header.channelConfiguration == 2)
            #expect(header.serialized() == Array(bytes[offset..<offset + header.headerLength]))
            offset += header.frameLength
            frames += 1
        }
        #expect(offset == bytes.count)
        #expect(frames >= 5)
        let first = try ADTSHeader(parsing: bytes)
        #expect(first.audioSpecificConfig.serialized() == [0x12, 0x10])
    }

    @Test func headerWithCRCRoundTrips() throws {
        let header = ADTSHeader(samplingFrequencyIndex: 3, channelConfiguration: 6, frameLength: 1234, crc: 0xBEEF)
        let bytes = header.serialized()
        #expect(bytes.count == 9)
        #expect(try ADTSHeader(parsing: bytes) == header)
        #expect(throws: CodecsError.self) { try ADTSHeader(parsing: [0xFF, 0xF1, 0x50]) }
        #expect(throws: CodecsError.self) { try ADTSHeader(parsing: [0xFF, 0xF1, 0x50, 0x80, 0x00, 0x1F, 0xFC]) }  // length 0
    }
}

@Suite struct OpusTests {
    @Test func mapsOpusHeadToDOps() throws {
        let head = try OpusHead(parsing: try Vectors.bytes("opus_head.bin"))
        #expect(head.outputChannelCount == 1)
        #expect(head.preSkip == 312)
        #expect(head.inputSampleRate == 48_000)
        #expect(head.channelMappingFamily == 0)
        let dOps = head.dOpsPayload()
        #expect(dOps == [0x00, 0x01, 0x01, 0x38, 0x00, 0x00, 0xBB, 0x80, 0x00, 0x00, 0x00])
        #expect(try OpusHead(dOps: dOps) == head)
        #expect(throws: CodecsError.self) { try OpusHead(parsing: Array("OpusHead".utf8)) }
    }

    @Test func packetDurationsFromTOC() throws {
        #expect(try OpusPacket.sampleCount([0xFC]) == 960)  // CELT 20 ms, one frame
        #expect(try OpusPacket.sampleCount([0x01 << 3 | 1]) == 1920)  // SILK 20 ms, two frames
        #expect(try OpusPacket.sampleCount([0x03, 0x03]) == 1440)  // SILK 10 ms, code 3, three frames
        #expect(throws: CodecsError.self) { try OpusPacket.sampleCount([0x1B, 0x03]) }  // 3 x 60 ms
        #expect(throws: CodecsError.self) { try OpusPacket.sampleCount([UInt8]()) }
    }
}
