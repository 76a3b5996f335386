@testable import Control
import Foundation
import Testing

@Suite struct DateTests {
    @Test func formatsUTCWithMilliseconds() {
        #expect(APIDate.format(Date(timeIntervalSince1970: 1_700_000_000.123)) == "2023-11-14T22:13:20.123Z")
        #expect(APIDate.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(APIDate.format(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
    }

    @Test func parsesRFC3339DateTimesOnly() throws {
        #expect(APIDate.parse("2023-11-14T22:13:20Z") == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(APIDate.parse("2023-11-14T22:13:20.5Z") == Date(timeIntervalSince1970: 1_700_000_000.5))
        #expect(APIDate.parse("2023-11-14T23:13:20+01:00") == Date(timeIntervalSince1970: 1_700_000_000))
        for bad in ["2023-11-14", "2023-11-14 22:13:20Z", "tomorrow", "", "2023-11-14T22:13:20", String(repeating: "9", count: 100)] {
            #expect(APIDate.parse(bad) == nil, "\(bad)")
        }
        let now = Date(timeIntervalSince1970: 1_750_000_000.042)
        let parsed = try #require(APIDate.parse(APIDate.format(now)))
        #expect(abs(parsed.timeIntervalSince(now)) < 0.000_5)
    }
}
