import NIOCore
import Testing
@testable import Codecs

/// SEI messages and ATSC A/53 caption data (ITU-T H.264 §7.3.2.3.1, §D.1.6; H.265 §7.3.5,
/// §D.2.6; A/53 Part 4 §6.2.3), as CEA-608 captions arrive from encoders, and as hostile input may
/// shape them.
@Suite struct VideoCaptionsTests {
    /// One `cc_data` construct as bytes: marker bits, `cc_valid`, `cc_type`, two data bytes.
    static func construct(type: UInt8 = 0, valid: Bool = true, _ data1: UInt8, _ data2: UInt8) -> [UInt8] {
        [0xF8 | (valid ? 0x04 : 0) | type, data1, data2]
    }

    /// A `user_data_registered_itu_t_t35` payload with GA94 `cc_data`.
    static func ga94(_ constructs: [[UInt8]], process: Bool = true) -> [UInt8] {
        ATSCCaptionData.prefix + [(process ? 0xC0 : 0x80) | UInt8(constructs.count), 0xFF] + constructs.flatMap { $0 } + [0xFF]
    }

    /// An SEI NAL unit with `messages`, each `(payloadType, payload)`, escaped: H.264's header
    /// 0x06 unless `header` says otherwise (HEVC's prefix SEI is 0x4E 0x01, its suffix 0x50 0x01).
    static func seiNAL(_ messages: [(Int, [UInt8])], header: [UInt8] = [0x06]) -> [UInt8] {
        var rbsp: [UInt8] = []
        func ff(_ value: Int) { rbsp += [UInt8](repeating: 0xFF, count: value / 255) + [UInt8(value % 255)] }
        for (type, payload) in messages {
            ff(type)
            ff(payload.count)
            rbsp += payload
        }
        rbsp.append(0x80)
        var nal = header
        var zeros = 0
        for b in rbsp {
            if zeros >= 2, b <= 3 { nal.append(3); zeros = 0 }
            nal.append(b)
            zeros = b == 0 ? zeros + 1 : 0
        }
        return nal
    }

    /// Resume Caption Loading on CC1 (0x14 0x20 with odd parity, CTA-608-E §D.6), which every
    /// pop-on caption starts with, as a CEA-608 encoder sends it on field 1.
    static let rcl = construct(0x94, 0x20)
    static let padding = construct(0x80, 0x80)

    @Test func parsesCaptionDataInSEI() throws {
        let nal = Self.seiNAL([(4, Self.ga94([Self.rcl, Self.padding, Self.construct(type: 1, 0x94, 0x2C)]))])
        let messages = try SEIMessage.parse(nalUnit: nal)
        #expect(messages.map(\.payloadType) == [4])
        let data = try #require(try ATSCCaptionData(t35Payload: messages[0].payload))
        #expect(data.processCCData)
        #expect(data.constructs == [
            .init(type: 0, isValid: true, data1: 0x94, data2: 0x20),
            .init(type: 0, isValid: true, data1: 0x80, data2: 0x80),
            .init(type: 1, isValid: true, data1: 0x94, data2: 0x2C),
        ])
        #expect(data.channels.instreamIDs == ["CC1", "CC3"])
    }

    /// Zero bytes before a byte of 3 or less are escaped by the encoder (§7.4.1): in a payload,
    /// and between one message's last bytes and the next one's payloadType.
    @Test func removesEmulationPrevention() throws {
        let messages: [(Int, [UInt8])] = [(5, [0x10, 0x00, 0x00]), (1, [0x00, 0x00, 0x02]), (4, Self.ga94([Self.construct(0x80, 0x00)]))]
        let nal = Self.seiNAL(messages)
        #expect(nal.windows(ofCount: 4).filter { $0 == [0, 0, 3, 1] || $0 == [0, 0, 3, 2] }.count == 2)
        let parsed = try SEIMessage.parse(nalUnit: nal)
        #expect(parsed.map(\.payloadType) == [5, 1, 4])
        #expect(parsed.map(\.payload) == messages.map { $0.1 })
    }

    /// payloadType and payloadSize over 255 (0xFF runs), and several messages in one NAL unit.
    @Test func readsLongMessagesBeforeCaptions() throws {
        let unregistered = [UInt8](repeating: 0x5A, count: 300)
        let nal = Self.seiNAL([(5, unregistered), (300, [1, 2]), (4, Self.ga94([Self.rcl]))])
        let messages = try SEIMessage.parse(nalUnit: nal)
        #expect(messages.map(\.payloadType) == [5, 300, 4])
        #expect(messages[0].payload == unregistered)
    }

    @Test func otherRegisteredUserDataIsNotCaptions() throws {
        // AFD: ATSC provider, user identifier "DTG1".
        #expect(try ATSCCaptionData(t35Payload: [0xB5, 0x00, 0x31, 0x44, 0x54, 0x47, 0x31, 0x41, 0x0A]) == nil)
        #expect(try ATSCCaptionData(t35Payload: []) == nil)
    }

    @Test func findsCaptionsInALengthPrefixedSample() throws {
        let slice: [UInt8] = [0x65, 0x88, 0x84, 0x00]
        let captioned = LengthPrefixed.join([[0x09, 0xF0], Self.seiNAL([(4, Self.ga94([Self.rcl]))]), slice])
        #expect(try !VideoCaptions.channels(inSample: captioned, codec: .h264, lengthSize: 4).isEmpty)
        var buffer = ByteBuffer(bytes: [0xAA] + LengthPrefixed.join([Self.seiNAL([(4, Self.ga94([Self.rcl]))]), slice], lengthSize: 2))
        buffer.moveReaderIndex(forwardBy: 1)
        #expect(try !VideoCaptions.channels(inSample: buffer.readableBytesView, codec: .h264, lengthSize: 2).isEmpty)
        #expect(try VideoCaptions.captionData(inSample: captioned, codec: .h264, lengthSize: 4).count == 1)
    }

    /// What does not count as CEA-608 field 1 captions: padding, field 2, CEA-708, invalid
    /// constructs, `process_cc_data_flag` off, no SEI at all.
    @Test func notCaptions() throws {
        let cases: [[(Int, [UInt8])]] = [
            [(4, Self.ga94([Self.padding, Self.padding]))],
            [(4, Self.ga94([Self.construct(type: 1, 0xC8, 0x45)]))],
            [(4, Self.ga94([Self.construct(type: 3, 0x41, 0x00), Self.construct(type: 2, 0x01, 0x02)]))],
            [(4, Self.ga94([Self.construct(valid: false, 0xC8, 0x45)]))],
            [(4, Self.ga94([Self.rcl], process: false))],
            [(5, Self.ga94([Self.rcl]))],
        ]
        for messages in cases {
            let sample = LengthPrefixed.join([Self.seiNAL(messages), [0x41, 0x9A]])
            #expect(try VideoCaptions.channels(inSample: sample, codec: .h264, lengthSize: 4).isEmpty)
        }
    }

    /// Each CEA-608 channel is named by its control codes (data channel 1 or 2, field 1 or 2),
    /// each CEA-708 service by the first service block of a DTVCC packet; text bytes, field 2's
    /// XDS and the null service name nothing.
    @Test func namesEveryChannel() throws {
        let constructs = [
            Self.rcl, Self.construct(0x1C, 0x20), Self.construct(0xC8, 0x45),  // CC1, CC2 (RCL), text
            Self.construct(type: 1, 0x15, 0x20), Self.construct(type: 1, 0x9D, 0x20), Self.construct(type: 1, 0x01, 0x03),  // CC3, CC4, XDS
            Self.construct(type: 3, 0x02, 0x22), Self.construct(type: 2, 0x48, 0x49),  // service 1, two bytes
            Self.construct(type: 3, 0x03, 0xE1), Self.construct(type: 2, 0x0A, 0x48),  // service 7: extended, 10
            Self.construct(type: 3, 0x41, 0x00),  // the null service
        ]
        let sample = LengthPrefixed.join([Self.seiNAL([(4, Self.ga94(constructs))]), [0x41, 0x9A]])
        let channels = try VideoCaptions.channels(inSample: sample, codec: .h264, lengthSize: 4)
        #expect(channels.instreamIDs == ["CC1", "CC2", "CC3", "CC4", "SERVICE1", "SERVICE10"])
        #expect(channels.channels608 == [1, 2, 3, 4] && channels.services708 == [1, 10])
        // An extended service whose number is not in the next construct is not guessed.
        let cut = LengthPrefixed.join([Self.seiNAL([(4, Self.ga94([Self.construct(type: 3, 0x03, 0xE1)]))]), [0x41, 0x9A]])
        #expect(try VideoCaptions.channels(inSample: cut, codec: .h264, lengthSize: 4).isEmpty)
    }

    @Test func noSEIIsNoCaptions() throws {
        #expect(try VideoCaptions.channels(inSample: LengthPrefixed.join([[0x65, 0x88, 0x84]]), codec: .h264, lengthSize: 4).isEmpty)
        #expect(try VideoCaptions.channels(inSample: [UInt8](), codec: .h264, lengthSize: 4).isEmpty)
    }

    // MARK: HEVC

    static let hevcPrefixSEI: [UInt8] = [0x4E, 0x01]
    static let hevcSuffixSEI: [UInt8] = [0x50, 0x01]
    /// A TRAIL_R slice's first bytes (nal_unit_type 1, first_slice_segment_in_pic_flag 1).
    static let hevcSlice: [UInt8] = [0x02, 0x01, 0xD0, 0x08]

    @Test func findsCaptionsInHEVCPrefixAndSuffixSEI() throws {
        let delimiter: [UInt8] = [0x46, 0x01, 0x50]
        let messages: [(Int, [UInt8])] = [(5, [0x00, 0x00, 0x01]), (4, Self.ga94([Self.padding, Self.rcl]))]
        for header in [Self.hevcPrefixSEI, Self.hevcSuffixSEI] {
            let nal = Self.seiNAL(messages, header: header)
            let parsed = try SEIMessage.parse(hevcNALUnit: nal)
            #expect(parsed.map(\.payloadType) == [5, 4])
            #expect(parsed.map(\.payload) == messages.map { $0.1 })
            let sample = header == Self.hevcPrefixSEI ? LengthPrefixed.join([delimiter, nal, Self.hevcSlice]) : LengthPrefixed.join([Self.hevcSlice, nal])
            #expect(try !VideoCaptions.channels(inSample: sample, codec: .hevc, lengthSize: 4).isEmpty)
            #expect(try VideoCaptions.captionData(inSample: sample, codec: .hevc, lengthSize: 4).count == 1)
        }
    }

    /// A NAL unit is read with its own codec's header: H.264's SEI byte 0x06 is an HEVC slice
    /// (type 3), and HEVC's prefix SEI 0x4E is an H.264 slice (type 14, prefix NAL unit).
    @Test func eachCodecReadsItsOwnNALHeaders() throws {
        let payload = Self.ga94([Self.rcl])
        let h264 = LengthPrefixed.join([Self.seiNAL([(4, payload)]), [0x65, 0x88]])
        let hevc = LengthPrefixed.join([Self.seiNAL([(4, payload)], header: Self.hevcPrefixSEI), Self.hevcSlice])
        #expect(try !VideoCaptions.channels(inSample: h264, codec: .h264, lengthSize: 4).isEmpty)
        #expect(try VideoCaptions.channels(inSample: h264, codec: .hevc, lengthSize: 4).isEmpty)
        #expect(try !VideoCaptions.channels(inSample: hevc, codec: .hevc, lengthSize: 4).isEmpty)
        #expect(try VideoCaptions.channels(inSample: hevc, codec: .h264, lengthSize: 4).isEmpty)
        #expect(try VideoCaptions.captionData(inSample: hevc, codec: .av1, lengthSize: 4).isEmpty)
    }

    @Test func rejectsMalformedHEVCSEI() {
        let cases: [([UInt8], CodecsError)] = [
            ([0x4E], .truncated(what: "HEVC SEI NAL unit", needed: 2, available: 1)),
            (Self.hevcSlice, .invalid(what: "HEVC SEI NAL unit", reason: "nal_unit_type 1 is not 39 or 40")),
            ([0x4E, 0x01, 0x04, 0x10, 0xB5], .truncated(what: "SEI payload type 4", needed: 2 + 16, available: 3)),
        ]
        for (nal, expected) in cases {
            #expect(throws: expected) { try SEIMessage.parse(hevcNALUnit: nal) }
        }
    }

    // MARK: Hostile input

    @Test func rejectsMalformedSEI() {
        let tooMany = Self.seiNAL(Array(repeating: (5, [UInt8]()), count: SEIMessage.maximumPerNALUnit + 1))
        let cases: [([UInt8], CodecsError)] = [
            ([], .truncated(what: "SEI NAL unit", needed: 1, available: 0)),
            ([0x65, 0x04, 0x00, 0x80], .invalid(what: "SEI NAL unit", reason: "nal_unit_type 5 is not 6")),
            ([0x06, 0x04, 0x10, 0xB5], .truncated(what: "SEI payload type 4", needed: 2 + 16, available: 3)),
            ([0x06, 0xFF, 0xFF], .truncated(what: "SEI payloadType", needed: 3, available: 2)),
            ([0x06, 0x04, 0xFF], .truncated(what: "SEI payloadSize", needed: 3, available: 2)),
            (tooMany, .limitExceeded(what: "SEI messages", value: 65, limit: 64)),
        ]
        for (nal, expected) in cases {
            #expect(throws: expected) { try SEIMessage.parse(nalUnit: nal) }
        }
    }

    @Test func rejectsShortCaptionData() {
        // cc_count 31, one construct present.
        let payload = ATSCCaptionData.prefix + [0xDF, 0xFF] + Self.rcl
        #expect(throws: CodecsError.self) { try ATSCCaptionData(t35Payload: payload) }
        #expect(throws: CodecsError.self) { try ATSCCaptionData(t35Payload: ATSCCaptionData.prefix) }
    }

    @Test func rejectsMalformedSample() {
        let sei = Self.seiNAL([(4, Self.ga94([Self.rcl]))])
        // A NAL length past the end, and an SEI whose message runs past the NAL unit.
        #expect(throws: CodecsError.self) { try VideoCaptions.channels(inSample: [0, 0, 0, 40] + sei, codec: .h264, lengthSize: 4) }
        #expect(throws: CodecsError.self) {
            try VideoCaptions.channels(inSample: LengthPrefixed.join([Array(sei.prefix(12))]), codec: .h264, lengthSize: 4)
        }
    }

    /// Every prefix and every single-byte corruption of a captioned sample parses or throws a
    /// `CodecsError`: nothing traps.
    @Test func survivesTruncationAndCorruption() {
        let sample = LengthPrefixed.join([Self.seiNAL([(5, [1, 2, 3]), (4, Self.ga94([Self.rcl, Self.padding]))]), [0x65, 0x88]])
        var inputs = (0...sample.count).map { Array(sample.prefix($0)) }
        for i in sample.indices {
            for value: UInt8 in [0x00, 0x03, 0x06, 0x7F, 0xFF] {
                var corrupted = sample
                corrupted[i] = value
                inputs.append(corrupted)
            }
        }
        for input in inputs {
            do { _ = try VideoCaptions.captionData(inSample: input, codec: .h264, lengthSize: 4) } catch {
                #expect(error.description.isEmpty == false)
            }
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func windows(ofCount count: Int) -> [[UInt8]] {
        count > self.count ? [] : (0...self.count - count).map { Array(self[$0..<$0 + count]) }
    }
}
