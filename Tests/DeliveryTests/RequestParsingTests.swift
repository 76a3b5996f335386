import NIOCore
import Testing
@testable import Delivery

@Suite struct RequestParsingTests {
    @Test func mediaFileNames() {
        #expect(MediaFileName("index.m3u8") == .playlist)
        #expect(MediaFileName("init.mp4") == .initSegment(index: 0))
        #expect(MediaFileName("init-3.mp4") == .initSegment(index: 3))
        #expect(MediaFileName("42.m4s") == .segment(msn: 42))
        #expect(MediaFileName("42.3.m4s") == .part(msn: 42, index: 3))
        for bad in ["init-0.mp4", "init-.mp4", "-1.m4s", "1.2.3.m4s", "a.m4s", ".m4s", "1..m4s", "1.m4s.m4s",
                    "9999999999999999.m4s", "index.m3u", "../index.m3u8", "+1.m4s", "１.m4s"] {
            #expect(MediaFileName(bad) == nil, "\(bad)")
        }
    }

    @Test func byteRanges() {
        #expect(RequestedRange.resolve(header: nil, length: 100) == .whole)
        #expect(RequestedRange.resolve(header: "bytes=0-9", length: 100) == .partial(RequestedRange(lowerBound: 0, upperBound: 9)))
        #expect(RequestedRange.resolve(header: "bytes=90-", length: 100) == .partial(RequestedRange(lowerBound: 90, upperBound: 99)))
        #expect(RequestedRange.resolve(header: "bytes=-10", length: 100) == .partial(RequestedRange(lowerBound: 90, upperBound: 99)))
        #expect(RequestedRange.resolve(header: "bytes=-500", length: 100) == .partial(RequestedRange(lowerBound: 0, upperBound: 99)))
        #expect(RequestedRange.resolve(header: "bytes=50-5000", length: 100) == .partial(RequestedRange(lowerBound: 50, upperBound: 99)))
        #expect(RequestedRange.resolve(header: "bytes=100-", length: 100) == .unsatisfiable)
        #expect(RequestedRange.resolve(header: "bytes=-0", length: 100) == .unsatisfiable)
        #expect(RequestedRange.resolve(header: "bytes=0-1,5-6", length: 100) == .whole)
        #expect(RequestedRange.resolve(header: "items=0-1", length: 100) == .whole)
        #expect(RequestedRange.resolve(header: "bytes=9-1", length: 100) == .whole)
        #expect(RequestedRange.resolve(header: "bytes=" + String(repeating: "1", count: 300) + "-", length: 100) == .whole)
    }

    /// A segment is served as its parts: a range takes slices of the parts it spans.
    @Test func byteRangeOfASegmentInParts() {
        let parts = [[0, 1, 2], [3, 4], [5, 6, 7, 8]].map { ByteBuffer(bytes: $0) }
        func bytes(_ lower: Int, _ upper: Int) -> [[UInt8]] {
            RequestedRange(lowerBound: lower, upperBound: upper).slices(of: parts).map { Array($0.readableBytesView) }
        }
        #expect(bytes(0, 8) == [[0, 1, 2], [3, 4], [5, 6, 7, 8]])
        #expect(bytes(2, 5) == [[2], [3, 4], [5]])
        #expect(bytes(3, 4) == [[3, 4]])
        #expect(bytes(6, 6) == [[6]])
    }
}
