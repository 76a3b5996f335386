/// Reads FFmpeg's stderr under `-progress pipe:2 -nostats -loglevel error`, one line at a time.
///
/// That stream mixes two things: `key=value` progress blocks, each ending with
/// `progress=continue` (or `progress=end` for the last one), and error lines from FFmpeg and its
/// libraries (`[aac @ 0x55d1] Too many bits per frame`, `pipe:0: Invalid data found ...`). The
/// parser returns a ``Line/progress(_:)`` when a block completes, a ``Line/message(_:)`` for any
/// line that is not `key=value` (to be logged), and ``Line/none`` otherwise.
///
/// Bounded: a line longer than ``maximumLineLength`` is ignored, and so is every key of a block
/// beyond ``maximumKeysPerBlock``; both are counted in ``ignoredLines``. The caller splits lines
/// and should drop bytes past the limit while it looks for the next newline.
public struct FFmpegProgressParser: Sendable {
    /// The longest line the parser reads. Progress lines are under 64 bytes and FFmpeg formats
    /// its log lines into a 1 024-byte buffer (`av_log_default_callback`), so 4 096 only drops
    /// what FFmpeg itself would not write.
    public static let maximumLineLength = 4096
    /// The most keys a block may hold: the 11 fixed ones plus one `stream_K_M_q` per video
    /// output (at most ``Ladder/maximumRungCount``) leaves a wide margin under 64.
    public static let maximumKeysPerBlock = 64

    /// What one line meant.
    public enum Line: Sendable, Hashable {
        /// A block completed with this line (`progress=...`).
        case progress(FFmpegProgress)
        /// A line that is not `key=value`: an error or warning from FFmpeg, without line ending.
        case message(String)
        /// A key inside a block, an empty line, or an ignored line.
        case none
    }

    private var block = FFmpegProgress()
    private var keysInBlock = 0
    /// Lines dropped for length, and keys dropped beyond the per-block cap.
    public private(set) var ignoredLines = 0

    public init() {}

    /// Consumes one line, with or without its trailing `\n` / `\r\n`.
    public mutating func feed(line: Substring) -> Line {
        var line = line
        while let last = line.last, last == "\n" || last == "\r" || last == "\r\n" { line = line.dropLast() }
        guard line.utf8.count <= Self.maximumLineLength else {
            ignoredLines += 1
            return .none
        }
        if line.isEmpty { return .none }
        guard let equals = line.firstIndex(of: "="), Self.isKey(line[..<equals]) else {
            return .message(String(line))
        }
        let key = line[..<equals]
        let value = line[line.index(after: equals)...]
        if key == "progress" {
            var completed = block
            completed.isEnd = value == "end"
            block = FFmpegProgress()
            keysInBlock = 0
            return .progress(completed)
        }
        keysInBlock += 1
        guard keysInBlock <= Self.maximumKeysPerBlock else {
            ignoredLines += 1
            return .none
        }
        switch key {
        case "frame": block.frame = Self.integer(value)
        case "fps": block.fps = Self.decimal(value)
        case "bitrate": block.bitrateKilobitsPerSecond = Self.decimal(value, unit: "kbits/s")
        case "total_size": block.totalSizeBytes = Self.integer(value)
        case "out_time_us": block.outTimeMicroseconds = Self.integer(value)
        case "out_time_ms":
            // Microseconds as well (a historical misnomer in FFmpeg); out_time_us wins if both come.
            if block.outTimeMicroseconds == nil { block.outTimeMicroseconds = Self.integer(value) }
        case "dup_frames": block.duplicatedFrames = Self.integer(value)
        case "drop_frames": block.droppedFrames = Self.integer(value)
        case "speed": block.speed = Self.decimal(value, unit: "x")
        default: break
        }
        return .none
    }

    /// `[a-z0-9_]+`: FFmpeg's progress keys. Log lines have spaces, brackets or capitals first.
    private static func isKey(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    /// An integer, surrounding spaces allowed; nil for `N/A` or anything else.
    private static func integer(_ text: Substring) -> Int64? {
        Int64(trimmed(text))
    }

    /// A finite decimal, with an optional unit suffix (`kbits/s`, `x`); nil for `N/A`.
    private static func decimal(_ text: Substring, unit: String = "") -> Double? {
        var text = trimmed(text)
        if !unit.isEmpty, text.hasSuffix(unit) { text = text.dropLast(unit.count) }
        guard let value = Double(trimmed(text)), value.isFinite else { return nil }
        return value
    }

    private static func trimmed(_ text: Substring) -> Substring {
        guard let first = text.firstIndex(where: { $0 != " " }), let last = text.lastIndex(where: { $0 != " " })
        else { return "" }
        return text[first...last]
    }
}
