extension SpliceInfoSection {
    /// An ad break starts at `ptsTime` (90 kHz) and lasts `duration` ticks: a program-mode
    /// `splice_insert()` out of the network, with a `break_duration` that returns by itself
    /// (ANSI/SCTE 35 2022 §9.7.3, §9.8.2).
    public static func breakStart(eventID: UInt32, ptsTime: UInt64, duration: UInt64) -> SpliceInfoSection {
        SpliceInfoSection(command: .insert(SpliceInsert(
            eventID: eventID, outOfNetwork: true, ptsTime: ptsTime & ptsMask,
            breakDuration: SpliceInsert.BreakDuration(autoReturn: true, duration: duration & ptsMask)
        )))
    }

    /// The return to the network feed at `ptsTime` that ends the break `eventID`.
    public static func breakEnd(eventID: UInt32, ptsTime: UInt64) -> SpliceInfoSection {
        SpliceInfoSection(command: .insert(SpliceInsert(eventID: eventID, outOfNetwork: false, ptsTime: ptsTime & ptsMask)))
    }

    /// A programme starts at `ptsTime` and lasts `duration` ticks: a `time_signal()` with a
    /// `segmentation_descriptor()` of type Program Start (§9.7.4, §10.3.3, table 23).
    public static func programmeStart(eventID: UInt32, ptsTime: UInt64, duration: UInt64) -> SpliceInfoSection {
        SpliceInfoSection(
            command: .timeSignal(ptsTime: ptsTime & ptsMask),
            descriptors: [.segmentation(eventID: eventID, type: SegmentationType.programStart, duration: duration)])
    }

    /// The `splice_event_id` of a splice_insert, or the `segmentation_event_id` of the first
    /// segmentation descriptor: what names the event the cue is about.
    public var eventID: UInt32? {
        if case .insert(let insert) = command { return insert.eventID }
        for descriptor in descriptors where descriptor.tag == SpliceDescriptor.segmentationTag && descriptor.bytes.count >= 8 {
            return descriptor.bytes[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
        return nil
    }
}

/// `segmentation_type_id` values (ANSI/SCTE 35 2022 table 23) Antenne writes or reads.
public enum SegmentationType {
    public static let programStart: UInt8 = 0x10
    public static let programEnd: UInt8 = 0x11
    /// Break, provider and distributor advertisement, placement opportunity and overlay starts:
    /// what an encoder's ad break begins with.
    public static let adStarts: Set<UInt8> = [0x22, 0x30, 0x32, 0x34, 0x36, 0x38, 0x3A, 0x3C, 0x3E, 0x44, 0x46]
}

extension SpliceDescriptor {
    /// `splice_descriptor_tag` of a segmentation_descriptor (§10.3.3).
    public static let segmentationTag: UInt8 = 0x02
    /// `identifier` of every SCTE descriptor: "CUEI" (§10.2).
    static let cueIdentifier: [UInt8] = [0x43, 0x55, 0x45, 0x49]

    /// A program-mode `segmentation_descriptor()` with a duration (40 bits of 90 kHz), no UPID,
    /// delivery not restricted, segment 0 of 0 (§10.3.3).
    public static func segmentation(eventID: UInt32, type: UInt8, duration: UInt64) -> SpliceDescriptor {
        var bytes = cueIdentifier
        bytes += [UInt8(eventID >> 24), UInt8((eventID >> 16) & 0xFF), UInt8((eventID >> 8) & 0xFF), UInt8(eventID & 0xFF)]
        // segmentation_event_cancel_indicator 0, segmentation_event_id_compliance_indicator 1, reserved.
        bytes.append(0x7F)
        // program_segmentation_flag 1, segmentation_duration_flag 1, delivery_not_restricted_flag 1, reserved.
        bytes.append(0xFF)
        let d = duration & ((1 << 40) - 1)
        for shift in stride(from: 32, through: 0, by: -8) { bytes.append(UInt8((d >> UInt64(shift)) & 0xFF)) }
        bytes += [0x00, 0x00]  // segmentation_upid_type: not used, segmentation_upid_length 0
        bytes += [type, 0x00, 0x00]  // segmentation_type_id, segment_num, segments_expected
        return SpliceDescriptor(tag: segmentationTag, bytes: bytes)
    }
}

/// The fields of a `segmentation_descriptor()` (§10.3.3) a marker needs.
public struct Segmentation: Sendable, Hashable {
    public var eventID: UInt32
    public var type: UInt8
    /// 90 kHz ticks, when the descriptor carries a duration.
    public var duration: UInt64?

    /// The descriptor's fields, or nil for another descriptor or a cancelled event. Bounded by the
    /// descriptor's own bytes (at most 255).
    public init?(_ descriptor: SpliceDescriptor) throws(ContainersError) {
        let b = descriptor.bytes
        guard descriptor.tag == SpliceDescriptor.segmentationTag, b.count >= 4, Array(b[0..<4]) == SpliceDescriptor.cueIdentifier else {
            return nil
        }
        let what = "segmentation_descriptor"
        guard b.count >= 9 else { throw .truncated(what: what, needed: 9, available: b.count) }
        eventID = b[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard b[8] & 0x80 == 0 else { return nil }  // segmentation_event_cancel_indicator
        guard b.count >= 10 else { throw .truncated(what: what, needed: 10, available: b.count) }
        let flags = b[9]
        var index = 10
        if flags & 0x80 == 0 {
            // Component mode: component_count, then 6 bytes each (tag, reserved, pts_offset).
            guard index < b.count else { throw .truncated(what: what, needed: index + 1, available: b.count) }
            index += 1 + Int(b[index]) * 6
        }
        if flags & 0x40 != 0 {
            guard index + 5 <= b.count else { throw .truncated(what: what, needed: index + 5, available: b.count) }
            duration = b[index..<(index + 5)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            index += 5
        }
        // segmentation_upid_type, segmentation_upid_length, the UPID, segmentation_type_id.
        guard index + 2 <= b.count else { throw .truncated(what: what, needed: index + 2, available: b.count) }
        index += 2 + Int(b[index + 1])
        guard index < b.count else { throw .truncated(what: what, needed: index + 1, available: b.count) }
        type = b[index]
    }
}
