import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Packager
import Testing
@testable import Delivery

/// The players' quality reports: `ViewerReport` reads a beacon strictly, `ViewerReports` counts
/// them per channel, `POST /player/beacon` answers 204, 400 or 413.
@Suite struct ViewerReportTests {
    static func report(_ json: String) throws(ViewerReport.Failure) -> ViewerReport {
        try ViewerReport(json: Array(json.utf8))
    }

    @Test func readsAFullAndAMinimalReport() throws {
        #expect(try Self.report(#"{"channel":"talks","startupMs":412,"stalls":1,"stallMs":830,"latency":1.25,"bitrate":1200000}"#)
            == ViewerReport(channel: "talks", startupMilliseconds: 412, stalls: 1, stallMilliseconds: 830, latency: 1.25, bitrate: 1_200_000))
        #expect(try Self.report(#"{"channel":"a-b_9","latency":null}"#) == ViewerReport(channel: "a-b_9"))
    }

    @Test(arguments: [
        ("", ViewerReport.Failure.notJSON), ("[1]", .notJSON), (#"{"channel":"x""#, .notJSON), ("null", .notJSON),
        (#"{"stalls":1}"#, .missing("channel")),
        (#"{"channel":"x","viewer":"me"}"#, .unknownField("viewer")),
        (#"{"channel":"<b>"}"#, .invalid("channel")), (#"{"channel":""}"#, .invalid("channel")), (#"{"channel":1}"#, .invalid("channel")),
        (#"{"channel":"x","stalls":-1}"#, .invalid("stalls")), (#"{"channel":"x","stalls":1.5}"#, .invalid("stalls")),
        (#"{"channel":"x","stalls":true}"#, .invalid("stalls")), (#"{"channel":"x","stalls":"1"}"#, .invalid("stalls")),
        (#"{"channel":"x","startupMs":600001}"#, .invalid("startupMs")), (#"{"channel":"x","stallMs":-5}"#, .invalid("stallMs")),
        (#"{"channel":"x","latency":-0.1}"#, .invalid("latency")), (#"{"channel":"x","latency":61}"#, .invalid("latency")),
        (#"{"channel":"x","latency":false}"#, .invalid("latency")), (#"{"channel":"x","bitrate":1e12}"#, .invalid("bitrate")),
    ])
    func refusesWhatIsNotAReport(_ json: String, _ failure: ViewerReport.Failure) {
        #expect(throws: failure) { try Self.report(json) }
    }

    @Test func aP2PPlayerReportsItsBytesFromHTTPAndFromPeers() throws {
        let report = try Self.report(#"{"channel":"talks","httpBytes":1000,"peerBytes":3000}"#)
        #expect(report == ViewerReport(channel: "talks", httpBytes: 1000, peerBytes: 3000))
        #expect(throws: ViewerReport.Failure.invalid("peerBytes")) { try Self.report(#"{"channel":"x","peerBytes":-1}"#) }
        #expect(throws: ViewerReport.Failure.invalid("httpBytes")) { try Self.report(#"{"channel":"x","httpBytes":1e15}"#) }
        let reports = ViewerReports()
        reports.record(report)
        reports.record(ViewerReport(channel: "talks", httpBytes: 500, peerBytes: 500))
        #expect(reports.snapshot["talks"]?.httpBytes == 1500 && reports.snapshot["talks"]?.peerBytes == 3500)
    }

    @Test func countsPerChannel() {
        let reports = ViewerReports()
        reports.record(ViewerReport(channel: "a", startupMilliseconds: 150, stalls: 2, stallMilliseconds: 900, latency: 1.5, bitrate: 800_000))
        reports.record(ViewerReport(channel: "a", startupMilliseconds: 3000, latency: 0.5))
        reports.record(ViewerReport(channel: "b"))
        let a = reports.snapshot["a"]
        #expect(a?.reports == 2)
        #expect(a?.startupMillisecondsSum == 3150)
        // Within 100, 200, 500, 1000, 2000, 5000 ms, and all of them.
        #expect(a?.startupBuckets == [0, 1, 1, 1, 1, 2, 2])
        #expect(a?.stalls == 2 && a?.stallMillisecondsSum == 900)
        #expect(a?.latencyReports == 2 && a?.latencySum == 2.0)
        #expect(a?.bitrateReports == 1 && a?.bitrateSum == 800_000)
        #expect(reports.snapshot["b"]?.reports == 1 && reports.snapshot["b"]?.startupBuckets.last == 0)
    }

    @Test func theBeaconCountsReportsOnKnownChannelsOnly() async throws {
        let registry = PackagerRegistry()
        let open = try await LiveChannelFixture(name: "open", registry: registry)
        defer { open.stop() }
        let viewers = ViewerReports()
        let router = Router(options: .autoGenerateHeadEndpoints)
        PageRoutes(packagers: registry, viewers: viewers, isReady: { true }).add(to: router)
        try await Application(router: router).test(.router) { client in
            func post(_ body: String) async throws -> TestResponse {
                try await client.execute(uri: "/player/beacon", method: .post, headers: [.contentType: "text/plain"], body: ByteBuffer(string: body))
            }
            let counted = try await post(#"{"channel":"open","startupMs":300,"stalls":0,"stallMs":0,"latency":1.1,"bitrate":500000}"#)
            #expect(counted.status == .noContent)
            #expect(counted.headers[.accessControlAllowOrigin] == "*")
            #expect(try await post(#"{"channel":"gone","stalls":3}"#).status == .noContent)
            let bad = try await post(#"{"channel":"open","stalls":-1}"#)
            #expect(bad.status == .badRequest)
            #expect(String(buffer: bad.body).contains("stalls is not a number in its range"))
            let big = try await post(#"{"channel":"open","pad":""# + String(repeating: " ", count: ViewerReport.maximumBytes) + #""}"#)
            #expect(big.status == .contentTooLarge)
        }
        #expect(viewers.snapshot.keys.sorted() == ["open"])
        #expect(viewers.snapshot["open"]?.reports == 1)
        #expect(viewers.snapshot["open"]?.startupMillisecondsSum == 300)
    }
}
