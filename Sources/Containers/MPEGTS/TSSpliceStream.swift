/// A PID of the followed program that carries SCTE-35 cues: PMT `stream_type` 0x86 (ANSI/SCTE 35
/// 2022 §8.1), whose packets carry `splice_info_section`s in PSI syntax (ISO/IEC 13818-1
/// §2.4.4: `pointer_field`, sections spanning packets, 0xFF stuffing).
///
/// The stream type alone identifies it: §8.1 also asks for a registration descriptor `CUEI` in
/// the program loop, but encoders that leave it out are common, and a section that is not a
/// splice_info_section (table_id, CRC) is dropped and counted anyway.
struct TSSpliceStream {
    let pid: UInt16
    var continuity = ContinuityCounter()
    /// A splice_info_section's `section_length` is 12 bits but at most 4093 (§9.6.1), so that the
    /// whole section fits in ``SpliceInfoSection/maximumBytes``.
    var assembler = PSISectionAssembler(maxSectionLength: SpliceInfoSection.maximumBytes - 3)

    init(pid: UInt16) { self.pid = pid }

    var what: String { "SCTE-35 PID 0x" + String(pid, radix: 16) }

    /// `stream_type` of an SCTE-35 cue stream (ANSI/SCTE 35 2022 §8.1).
    static let streamType: UInt8 = 0x86
    /// The registration descriptor (ISO/IEC 13818-1 §2.6.8) with `format_identifier` "CUEI" that
    /// §8.1 puts in the program loop of a PMT with SCTE-35 streams.
    static let registrationDescriptor: [UInt8] = [TSDescriptor.registrationTag, 4] + Array("CUEI".utf8)
}
