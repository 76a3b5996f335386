import NIOCore

/// A single `Range: bytes=...` request (RFC 9110 §14.1.2). Multi-range requests are answered with
/// the whole representation, which RFC 9110 §14.2 allows.
struct RequestedRange: Equatable {
    var lowerBound: Int
    var upperBound: Int  // inclusive

    enum Resolution: Equatable {
        case whole
        case partial(RequestedRange)
        case unsatisfiable
    }

    /// A Range header longer than this is ignored: a single byte range needs about 40 characters.
    static let maximumHeaderLength = 256

    static func resolve(header: String?, length: Int) -> Resolution {
        guard let header, header.utf8.count <= maximumHeaderLength else { return .whole }
        let trimmed = header.trimmingWhitespace()
        guard trimmed.hasPrefix("bytes=") else { return .whole }
        let spec = trimmed.dropFirst("bytes=".count)
        guard !spec.contains(",") else { return .whole }
        let bounds = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2 else { return .whole }
        let first = bounds[0].trimmingWhitespace()
        let last = bounds[1].trimmingWhitespace()
        if first.isEmpty {
            // Suffix range: the last N bytes.
            guard let suffix = Int(last), suffix > 0 else { return .unsatisfiable }
            guard length > 0 else { return .unsatisfiable }
            return .partial(RequestedRange(lowerBound: max(0, length - suffix), upperBound: length - 1))
        }
        guard let start = Int(first), start >= 0 else { return .whole }
        guard start < length else { return .unsatisfiable }
        if last.isEmpty { return .partial(RequestedRange(lowerBound: start, upperBound: length - 1)) }
        guard let end = Int(last), end >= start else { return .whole }
        return .partial(RequestedRange(lowerBound: start, upperBound: min(end, length - 1)))
    }
}

extension RequestedRange {
    /// The range's bytes of a representation held in pieces, as slices of them (no copy).
    func slices(of buffers: [ByteBuffer]) -> [ByteBuffer] {
        var slices: [ByteBuffer] = []
        var offset = 0
        for buffer in buffers {
            let start = max(lowerBound, offset)
            let end = min(upperBound + 1, offset + buffer.readableBytes)
            if start < end, let slice = buffer.getSlice(at: buffer.readerIndex + start - offset, length: end - start) {
                slices.append(slice)
            }
            offset += buffer.readableBytes
        }
        return slices
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
