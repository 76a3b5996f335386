import Testing
@testable import Codecs

@Suite struct HEVCTests {
    @Test func parsesX265ConfigRecord() throws {
        let bytes = try Vectors.bytes("hevc_hvcC.bin")
        let record = try HEVCDecoderConfigurationRecord(parsing: bytes)
        #expect(record.generalProfileIDC == 1)
        #expect(record.generalLevelIDC == 63)
        #expect(record.nalLengthSize == 4)
        #expect(record.nalUnits(ofType: HEVCNALUnitType.vps).count == 1)
        #expect(record.nalUnits(ofType: HEVCNALUnitType.sps).count == 1)
        #expect(record.nalUnits(ofType: HEVCNALUnitType.pps).count == 1)
        #expect(record.serialized() == bytes)
        // ffmpeg's HLS muxer writes the same string for this stream.
        #expect(record.codecString == "hvc1.1.6.L63.90")
        let sps = try record.parsedSPS()
        #expect(sps.width == 640)
        #expect(sps.height == 360)
    }

    @Test func codecStringFollowsAnnexE() throws {
        var record = try HEVCDecoderConfigurationRecord(parsing: try Vectors.bytes("hevc_hvcC.bin"))
        record.generalLevelIDC = 93
        record.generalConstraintIndicatorFlags = [0xB0, 0, 0, 0, 0, 0]
        #expect(record.codecString == "hvc1.1.6.L93.B0")
        record.generalTierFlag = true
        record.generalProfileIDC = 2
        record.generalProfileCompatibilityFlags = 0x2000_0000
        record.generalConstraintIndicatorFlags = [0, 0, 0, 0, 0, 0]
        #expect(record.codecString == "hvc1.2.4.H93")
    }

    @Test func truncatedRecordsThrow() throws {
        let bytes = try Vectors.bytes("hevc_hvcC.bin")
        for n in stride(from: 0, to: bytes.count, by: 7) {
            #expect(throws: CodecsError.self) { try HEVCDecoderConfigurationRecord(parsing: Array(bytes.prefix(n))) }
        }
        var flood = Array(bytes.prefix(22))
        flood += [0x01, 0xA0, 0xFF, 0xFF]  // one array claiming 65 535 NAL units
        #expect(throws: CodecsError.limitExceeded(what: "hvcC numNalus", value: 65_535, limit: 64)) {
            try HEVCDecoderConfigurationRecord(parsing: flood)
        }
    }
}

@Suite struct AV1Tests {
    @Test func parsesSVTAV1Config() throws {
        let bytes = try Vectors.bytes("av1_av1C.bin")
        let record = try AV1CodecConfigurationRecord(parsing: bytes)
        #expect(record.seqProfile == 0)
        #expect(record.bitDepth == 8)
        #expect(record.chromaSubsamplingX && record.chromaSubsamplingY)
        #expect(record.serialized() == bytes)
        #expect(record.codecString == "av01.0.01M.08")
        let header = try record.parsedSequenceHeader()
        #expect(header.maxFrameWidth == 640)
        #expect(header.maxFrameHeight == 360)
        #expect(header.seqLevelIdx0 == record.seqLevelIdx0)
    }

    @Test func refusesBadMarkerAndTruncatedOBUs() throws {
        #expect(throws: CodecsError.invalid(what: "av1C", reason: "marker bit is zero")) {
            try AV1CodecConfigurationRecord(parsing: [0x01, 0, 0, 0])
        }
        #expect(throws: CodecsError.self) { try AV1OBU.split([0x0A, 0x0B, 0x00]) }
        #expect(throws: CodecsError.self) { try AV1OBU.split([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) }
    }
}
