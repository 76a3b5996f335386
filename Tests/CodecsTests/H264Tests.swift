import MediaCore
import Testing
@testable import Codecs

@Suite struct H264Tests {
    @Test func parsesFFmpegAVCConfigAndSPS() throws {
        let bytes = try Vectors.bytes("h264_avcC.bin")
        let record = try AVCDecoderConfigurationRecord(parsing: bytes)
        #expect(record.profileIndication == 100)
        #expect(record.levelIndication == 30)
        #expect(record.nalLengthSize == 4)
        #expect(record.sequenceParameterSets.count == 1)
        #expect(record.pictureParameterSets.count == 1)
        #expect(record.highProfileExtension?.chromaFormat == 1)
        #expect(record.serialized() == bytes)
        #expect(record.codecString == "avc1.64001e")

        let sps = try record.parsedSPS()
        #expect(sps.codecString == "avc1.64001e")
        // 360 is not a multiple of 16: 23 macroblock rows (368) cropped by 8 lines.
        #expect(sps.width == 640)
        #expect(sps.height == 360)
        #expect(sps.chromaFormatIDC == 1)
        #expect(sps.bitDepthLuma == 8)
        #expect(sps.frameRate == Rational(30, 1))
        #expect(sps.timing == H264SPS.Timing(numUnitsInTick: 1, timeScale: 60, fixedFrameRate: false))
    }

    @Test func recordFromParameterSetsRoundTrips() throws {
        let record = try AVCDecoderConfigurationRecord(parsing: try Vectors.bytes("h264_avcC.bin"))
        var rebuilt = try AVCDecoderConfigurationRecord(sps: record.sequenceParameterSets[0], pps: record.pictureParameterSets[0])
        rebuilt.nalLengthSize = 2
        let reparsed = try AVCDecoderConfigurationRecord(parsing: rebuilt.serialized())
        #expect(reparsed == rebuilt)
        #expect(reparsed.nalLengthSize == 2)
    }

    @Test func truncatedRecordsThrowWithContext() throws {
        let bytes = try Vectors.bytes("h264_avcC.bin")
        // Every strict prefix that cuts into the mandatory part must throw, never crash.
        for n in 0..<(bytes.count - 4) {
            #expect(throws: CodecsError.self) { try AVCDecoderConfigurationRecord(parsing: Array(bytes.prefix(n))) }
        }
        #expect(throws: CodecsError.truncated(what: "avcC", needed: 1, available: 0)) {
            try AVCDecoderConfigurationRecord(parsing: [])
        }
        var badLength = bytes
        badLength[4] = 0xFE  // lengthSizeMinusOne = 2
        #expect(throws: CodecsError.invalid(what: "avcC", reason: "lengthSizeMinusOne 2 is not allowed")) {
            try AVCDecoderConfigurationRecord(parsing: badLength)
        }
    }

    @Test func spsWithFrameCroppingAndNoVUI() throws {
        // Hand-built Baseline SPS: 1920x1088 coded, cropped by 8 lines to 1080, no VUI.
        var w = BitWriter()
        w.writeBits(66, count: 8)  // profile_idc
        w.writeBits(0xC0, count: 8)  // constraint_set0/1
        w.writeBits(40, count: 8)  // level 4.0
        w.writeUE(0)  // sps id
        w.writeUE(0)  // log2_max_frame_num_minus4
        w.writeUE(2)  // pic_order_cnt_type
        w.writeUE(1)  // max_num_ref_frames
        w.writeFlag(false)
        w.writeUE(119)  // 120 MBs wide
        w.writeUE(67)  // 68 MB rows
        w.writeFlag(true)  // frame_mbs_only
        w.writeFlag(true)  // direct_8x8
        w.writeFlag(true)  // frame_cropping_flag
        w.writeUE(0); w.writeUE(0); w.writeUE(0); w.writeUE(4)  // bottom 4 * CropUnitY(2) = 8
        w.writeFlag(false)  // no VUI
        w.writeBits(1, count: 1)  // rbsp stop bit
        let sps = try H264SPS(nalUnit: [0x67] + w.bytes)
        #expect(sps.width == 1920)
        #expect(sps.height == 1080)
        #expect(sps.frameRate == nil)
        #expect(sps.codecString == "avc1.42c028")
    }

    @Test func spsRejectsHostileSizes() {
        var w = BitWriter()
        w.writeBits(66, count: 8); w.writeBits(0, count: 8); w.writeBits(40, count: 8)
        w.writeUE(0); w.writeUE(0); w.writeUE(2); w.writeUE(1); w.writeFlag(false)
        w.writeUE(100_000)  // absurd width
        w.writeUE(10)
        #expect(throws: CodecsError.self) { try H264SPS(nalUnit: [0x67] + w.bytes) }
        #expect(throws: CodecsError.self) { try H264SPS(nalUnit: [0x68, 0x00]) }  // a PPS, not an SPS
    }

    @Test func annexBAndLengthPrefixedRoundTrip() throws {
        let nals: [[UInt8]] = [[0x09, 0xF0], [0x67, 0x42, 0x00, 0x1E], [0x68, 0xCE], [0x65, 0x88, 0x00, 0x00, 0x03, 0x01]]
        let annexB: [UInt8] = [0, 0, 1] + nals[0] + [0, 0, 0, 1] + nals[1] + [0, 0, 1] + nals[2] + [0, 0, 0, 1] + nals[3] + [0]
        let split = try AnnexB.split(annexB).map(Array.init)
        #expect(split == nals)
        let avcc = try AnnexB.toLengthPrefixed(annexB)
        #expect(Array(avcc.prefix(6)) == [0, 0, 0, 2, 0x09, 0xF0])
        #expect(try LengthPrefixed.split(avcc, lengthSize: 4).map(Array.init) == nals)
        #expect(try LengthPrefixed.toAnnexB(avcc) == AnnexB.join(nals))
        let short = LengthPrefixed.join(nals, lengthSize: 2)
        #expect(try LengthPrefixed.split(short, lengthSize: 2).map(Array.init) == nals)
        #expect(H264NALUnitType(header: nals[3][0]) == .idrSlice)
        #expect(H264NALUnitType(header: 0x67) == .sps)
    }

    @Test func lengthPrefixedRefusesOverrunsAndFloods() {
        #expect(throws: CodecsError.truncated(what: "NAL unit", needed: 14, available: 6)) {
            try LengthPrefixed.split([0, 0, 0, 10, 0x65, 0x88], lengthSize: 4)
        }
        #expect(throws: CodecsError.self) { try LengthPrefixed.split([0, 0, 0], lengthSize: 4) }
        #expect(throws: CodecsError.self) { try LengthPrefixed.split([0, 1, 0x65], lengthSize: 3) }
        let flood = [UInt8](repeating: 0, count: 2 * (CodecsLimits.maxNALUnitsPerAccessUnit + 1))
        #expect(throws: CodecsError.limitExceeded(what: "length-prefixed NAL units", value: 1025, limit: 1024)) {
            try LengthPrefixed.split(flood, lengthSize: 2)
        }
        #expect(throws: CodecsError.self) { try AnnexB.split([0x65, 0x88]) }
    }

    @Test func removesEmulationPrevention() {
        #expect(unescapeRBSP([0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x03, 0x00, 0x03]) == [0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03])
    }
}
