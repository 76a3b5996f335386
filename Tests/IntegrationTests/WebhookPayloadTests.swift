@testable import AntenneServer
import Control
import Events
import Foundation
import Hub
import Testing
import Transcoder

/// Control plane, webhooks (issue "Control plane", item 5): the payloads receivers parse, byte
/// for byte. `stream.*` keep their shape; `channel.unhealthy` and `transcoder.failed` add `detail`.
@Suite struct WebhookPayloadTests {
    static let channel = Control.Channel(
        id: UUID(uuidString: "00000000-0000-0000-0000-0000000000c1")!,
        organisationID: UUID(uuidString: "00000000-0000-0000-0000-0000000000a1")!,
        name: "match1", ladder: "passthrough", archive: .disabled, visibility: .public, createdAt: Date())
    static let id = UUID(uuidString: "00000000-0000-0000-0000-0000000000e1")!
    static let at = Date(timeIntervalSince1970: 1_780_000_000)
    static let envelope = #"{"channel":{"id":"00000000-0000-0000-0000-0000000000C1","name":"match1"},"createdAt":"2026-05-28T20:26:40.000Z","#

    static func json(_ event: WebhookEvent, _ detail: EventDetail? = nil) throws -> String {
        try StreamEventPayload(id: id, event: event, channel: channel, at: at, detail: detail).json()
    }

    @Test func streamEventsHaveNoDetail() throws {
        #expect(try Self.json(.streamStarted) == Self.envelope
            + #""id":"00000000-0000-0000-0000-0000000000E1","organisationId":"00000000-0000-0000-0000-0000000000A1","type":"stream.started"}"#)
    }

    @Test func channelHealthDetails() throws {
        let configuration = ChannelHealthMonitor.Configuration()
        func detail(_ action: ChannelHealthMonitor.Action) throws -> String {
            let json = try Self.json(.channelUnhealthy, .channelHealth(ChannelHealthDetail(action, configuration: configuration)))
            let start = try #require(json.range(of: #""detail":"#)?.upperBound)
            let end = try #require(json.range(of: #","id":"#)?.lowerBound)
            return String(json[start..<end])
        }
        #expect(try detail(.noVideo(for: .milliseconds(5_030))) == #"{"healthy":false,"reason":"no-video","secondsWithoutVideo":5}"#)
        #expect(try detail(.bitrateCollapsed(bitsPerSecond: 120_999, averageBitsPerSecond: 2_480_000))
            == #"{"averageKbps":2480,"healthy":false,"measuredKbps":120,"reason":"bitrate-collapse","windowSeconds":5}"#)
        #expect(try detail(.recovered(from: .bitrateCollapse, after: .seconds(42)))
            == #"{"healthy":true,"reason":"bitrate-collapse","unhealthySeconds":42}"#)
        #expect(try Self.json(.channelUnhealthy, .channelHealth(ChannelHealthDetail(.noVideo(for: .seconds(5)), configuration: configuration)))
            .hasSuffix(#""type":"channel.unhealthy"}"#))
    }

    @Test func transcoderFailureDetails() throws {
        func detail(_ cause: TranscoderFailure.Cause, attempt: Int, delay: Duration) -> String? {
            let detail = TranscoderFailureDetail(TranscoderFailure(cause: cause, restartAttempt: attempt, restartDelay: delay))
            return (try? JSONEncoder.sorted.encode(detail)).map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(detail(.killed(signal: 9), attempt: 1, delay: .milliseconds(500)) == #"{"reason":"killed","restartAttempt":1,"restartInMs":500,"signal":9}"#)
        #expect(detail(.exited(status: 0), attempt: 2, delay: .seconds(1)) == #"{"exitStatus":0,"reason":"exited","restartAttempt":2,"restartInMs":1000}"#)
        #expect(detail(.launchFailed("no such file"), attempt: 16, delay: .seconds(10))
            == #"{"message":"no such file","reason":"launch-failed","restartAttempt":16,"restartInMs":10000}"#)
    }

    @Test func aCrashLoopSendsFailuresOneTwoFourEight() {
        #expect((0...20).filter(TranscoderFailureDetail.isSent(restartAttempt:)) == [1, 2, 4, 8, 16])
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
