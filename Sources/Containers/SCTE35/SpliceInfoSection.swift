/// An SCTE-35 `splice_info_section()` (ANSI/SCTE 35 2022 §9.6): a cue that an ad break or a
/// programme starts or ends, as it travels in MPEG-TS, in HLS `EXT-X-DATERANGE` (`SCTE35-OUT`,
/// `SCTE35-IN`, `SCTE35-CMD`, RFC 8216bis §4.4.5.1.1) and in DASH `EventStream`s
/// (`urn:scte:scte35:2014:xml+bin`).
///
/// Encode with ``encoded()``, parse with ``init(parsing:)``. Only clear sections are modelled:
/// an encrypted one (`encrypted_packet` = 1, §9.6.1) is refused by the parser.
public struct SpliceInfoSection: Sendable, Hashable {
    /// `pts_adjustment` (33 bits): added to every `pts_time` of the section.
    public var ptsAdjustment: UInt64
    /// `cw_index` (8 bits): unused in a clear section; the standard's examples write 0xFF.
    public var cwIndex: UInt8
    /// `tier` (12 bits): 0xFFF when the cue is for every tier.
    public var tier: UInt16
    public var command: SpliceCommand
    /// `splice_descriptor()`s (§10), kept as their bytes.
    public var descriptors: [SpliceDescriptor]

    public init(
        ptsAdjustment: UInt64 = 0, cwIndex: UInt8 = 0xFF, tier: UInt16 = 0xFFF, command: SpliceCommand, descriptors: [SpliceDescriptor] = []
    ) {
        self.ptsAdjustment = ptsAdjustment
        self.cwIndex = cwIndex
        self.tier = tier
        self.command = command
        self.descriptors = descriptors
    }

    /// `table_id` of every splice_info_section (§9.6.1).
    static let tableID: UInt8 = 0xFC
    /// A `pts_time` or `duration` field is 33 bits of the 90 kHz clock (§9.8.1, §9.8.2).
    public static let ptsMask: UInt64 = (1 << 33) - 1
}

/// The splice command of a section (§9.7).
public enum SpliceCommand: Sendable, Hashable {
    /// `splice_null()` (§9.7.1), type 0x00: a heartbeat.
    case null
    /// `splice_insert()` (§9.7.3), type 0x05: leaving or returning to the network feed.
    case insert(SpliceInsert)
    /// `time_signal()` (§9.7.4), type 0x06: a time its descriptors give a meaning to; nil for
    /// immediately.
    case timeSignal(ptsTime: UInt64?)
    /// Any other command (schedule, bandwidth reservation, private), as its type and bytes.
    case other(type: UInt8, bytes: [UInt8])

    var type: UInt8 {
        switch self {
        case .null: 0x00
        case .insert: 0x05
        case .timeSignal: 0x06
        case .other(let type, _): type
        }
    }
}

/// `splice_insert()` (§9.7.3).
public struct SpliceInsert: Sendable, Hashable {
    public var eventID: UInt32
    /// `splice_event_cancel_indicator`: a previous event of this id is called off; nothing else
    /// is sent.
    public var cancel: Bool
    /// `out_of_network_indicator`: 1 leaves the network (an ad break starts), 0 returns.
    public var outOfNetwork: Bool
    /// When the splice happens, in 90 kHz ticks; nil for `splice_immediate_flag` = 1.
    public var ptsTime: UInt64?
    /// `break_duration()` (§9.8.2): how long the break lasts, and whether the splicer returns by
    /// itself (`auto_return`).
    public var breakDuration: BreakDuration?
    /// The components spliced one by one (`program_splice_flag` = 0); empty for the whole
    /// programme.
    public var components: [SpliceComponent]
    public var uniqueProgramID: UInt16
    public var availNum: UInt8
    public var availsExpected: UInt8

    public init(
        eventID: UInt32, cancel: Bool = false, outOfNetwork: Bool, ptsTime: UInt64?, breakDuration: BreakDuration? = nil,
        components: [SpliceComponent] = [], uniqueProgramID: UInt16 = 0, availNum: UInt8 = 0, availsExpected: UInt8 = 0
    ) {
        self.eventID = eventID
        self.cancel = cancel
        self.outOfNetwork = outOfNetwork
        self.ptsTime = ptsTime
        self.breakDuration = breakDuration
        self.components = components
        self.uniqueProgramID = uniqueProgramID
        self.availNum = availNum
        self.availsExpected = availsExpected
    }

    public struct BreakDuration: Sendable, Hashable {
        public var autoReturn: Bool
        /// 90 kHz ticks (33 bits).
        public var duration: UInt64

        public init(autoReturn: Bool, duration: UInt64) {
            self.autoReturn = autoReturn
            self.duration = duration
        }
    }
}

/// One component of a component-mode `splice_insert()`.
public struct SpliceComponent: Sendable, Hashable {
    public var tag: UInt8
    /// nil when the splice is immediate.
    public var ptsTime: UInt64?

    public init(tag: UInt8, ptsTime: UInt64?) {
        self.tag = tag
        self.ptsTime = ptsTime
    }
}

/// A `splice_descriptor()` (§10.2): its tag and the bytes after its length (identifier included).
public struct SpliceDescriptor: Sendable, Hashable {
    public var tag: UInt8
    public var bytes: [UInt8]

    public init(tag: UInt8, bytes: [UInt8]) {
        self.tag = tag
        self.bytes = bytes
    }
}
