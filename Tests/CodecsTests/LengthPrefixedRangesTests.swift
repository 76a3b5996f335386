import NIOCore
import Testing
@testable import Codecs

/// `LengthPrefixed.unitRanges` checks exactly what `split` checks, and works in place on a
/// ByteBuffer's bytes (where ingest uses it).
@Suite struct LengthPrefixedRangesTests {
    static let nals: [[UInt8]] = [[0x09, 0xF0], [], [0x67, 0x42, 0x00, 0x1E], [0x65, 0x88, 0x00, 0x00, 0x03, 0x01]]

    @Test(arguments: [1, 2, 4])
    func rangesMatchSplit(lengthSize: Int) throws {
        let bytes = LengthPrefixed.join(Self.nals, lengthSize: lengthSize)
        let ranges = try LengthPrefixed.unitRanges(bytes, lengthSize: lengthSize)
        #expect(ranges.map { Array(bytes[$0]) } == Self.nals)
        #expect(try LengthPrefixed.split(bytes, lengthSize: lengthSize).map(Array.init) == Self.nals)
        // In place, on a buffer whose readable bytes do not start at its storage's start.
        var buffer = ByteBuffer(bytes: [0xAA, 0xBB, 0xCC] + bytes)
        buffer.moveReaderIndex(forwardBy: 3)
        let view = buffer.readableBytesView
        let inPlace = try LengthPrefixed.unitRanges(view, lengthSize: lengthSize)
        #expect(inPlace.map { Array(view[$0]) } == Self.nals)
    }

    @Test func sameErrorsAsSplit() {
        let cases: [([UInt8], Int)] = [
            ([0, 0, 0, 10, 0x65, 0x88], 4), ([0, 0, 0], 4), ([0, 1, 0x65], 3),
            ([UInt8](repeating: 0, count: 2 * (CodecsLimits.maxNALUnitsPerAccessUnit + 1)), 2),
        ]
        for (bytes, lengthSize) in cases {
            var splitError: CodecsError?
            var rangesError: CodecsError?
            do { _ = try LengthPrefixed.split(bytes, lengthSize: lengthSize) } catch { splitError = error }
            do { _ = try LengthPrefixed.unitRanges(ByteBuffer(bytes: bytes).readableBytesView, lengthSize: lengthSize) } catch { rangesError = error }
            #expect(splitError != nil)
            #expect(splitError == rangesError)
        }
    }
}
