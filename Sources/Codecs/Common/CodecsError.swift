import MediaCore

/// The one error type of the `Codecs` module. Every case names the structure being parsed so a log
/// line says what was wrong without a debugger.
public enum CodecsError: Error, Sendable, Hashable {
    /// The input ended before `what` was complete.
    case truncated(what: String, needed: Int, available: Int)
    /// A field holds a value the specification forbids.
    case invalid(what: String, reason: String)
    /// A count or length read from the input is larger than the named limit.
    case limitExceeded(what: String, value: Int, limit: Int)
    /// Valid per the specification, but not something Antenne handles.
    case unsupported(what: String, reason: String)
    /// The bit reader ran out of data or met an over-long Exp-Golomb code.
    case bitstream(what: String, BitReader.Error)
}

extension CodecsError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated(let what, let needed, let available):
            "\(what): truncated (need \(needed) bytes, have \(available))"
        case .invalid(let what, let reason):
            "\(what): invalid: \(reason)"
        case .limitExceeded(let what, let value, let limit):
            "\(what): \(value) exceeds the limit of \(limit)"
        case .unsupported(let what, let reason):
            "\(what): unsupported: \(reason)"
        case .bitstream(let what, let error):
            "\(what): bitstream error \(error)"
        }
    }
}

extension BitReader {
    /// Reads `count` bits, mapping a bit reader failure to `CodecsError.bitstream` naming `what`.
    mutating func bits(_ count: Int, _ what: String) throws(CodecsError) -> UInt32 {
        do { return try readBits(count) } catch { throw .bitstream(what: what, error) }
    }

    mutating func flag(_ what: String) throws(CodecsError) -> Bool {
        do { return try readFlag() } catch { throw .bitstream(what: what, error) }
    }

    mutating func ue(_ what: String) throws(CodecsError) -> UInt32 {
        do { return try readUE() } catch { throw .bitstream(what: what, error) }
    }

    mutating func se(_ what: String) throws(CodecsError) -> Int32 {
        do { return try readSE() } catch { throw .bitstream(what: what, error) }
    }

    mutating func skip(_ count: Int, _ what: String) throws(CodecsError) {
        do { try skipBits(count) } catch { throw .bitstream(what: what, error) }
    }

    /// ue(v) that must not exceed `max` (a range the specification states for the element).
    mutating func ue(_ what: String, max: UInt32) throws(CodecsError) -> UInt32 {
        let value = try ue(what)
        guard value <= max else { throw .invalid(what: what, reason: "\(value) > \(max)") }
        return value
    }
}
