import Containers
import Foundation
import Hub
import MediaCore
import RTMP
import Testing
@testable import Ingest

/// `onCuePoint` data messages, as encoders send them, into markers on the channel's hub; and
/// hostile ones, refused with a reason while the publish goes on.
@Suite struct CuePointTests {
    static func cue(name: String = "scte35", time: Double? = 12.5, parameters: [AMF0Property]) -> AMF0Value {
        var properties = [AMF0Property("name", .string(name)), AMF0Property("type", .string("event"))]
        if let time { properties.append(AMF0Property("time", .number(time))) }
        properties.append(AMF0Property("parameters", .object(parameters)))
        return .object(properties)
    }

    static func base64(_ section: SpliceInfoSection) -> AMF0Value {
        .string(Data(section.encoded()).base64EncodedString())
    }

    @Test(arguments: ["scte35", "cue"])
    func aSpliceInsertOutIsAnAdBreakAtTheCuesTime(_ field: String) throws {
        let section = SpliceInfoSection.breakStart(eventID: 4_242, ptsTime: 123, duration: 30 * 90_000)
        let marker = try #require(try CuePoint(Self.cue(parameters: [AMF0Property(field, Self.base64(section))])).marker(timestamp: 9_000))
        #expect(marker.kind == .adBreak)
        #expect(marker.start == .mediaTime(MediaTime(ticks: 12_500, timescale: 1_000)))
        #expect(marker.duration == MediaTime(ticks: 30_000, timescale: 1_000))
        #expect(marker.eventID == 4_242)
        #expect(marker.id == "scte35-4242")
    }

    @Test func withoutATimeTheMessagesTimestampIsTheStart() throws {
        let section = SpliceInfoSection.breakStart(eventID: 1, ptsTime: 0, duration: 90_000)
        let marker = try #require(try CuePoint(Self.cue(time: nil, parameters: [AMF0Property("scte35", Self.base64(section))]))
            .marker(timestamp: 9_000))
        #expect(marker.start == .mediaTime(MediaTime(ticks: 9_000, timescale: 1_000)))
    }

    @Test func aTimeSignalWithProgramStartIsAProgramme() throws {
        let section = SpliceInfoSection.programmeStart(eventID: 5, ptsTime: 0, duration: 3_600 * 90_000)
        let marker = try #require(try CuePoint(Self.cue(parameters: [AMF0Property("scte35", Self.base64(section))])).marker(timestamp: 0))
        #expect(marker.kind == .programme)
        #expect(marker.duration == MediaTime(ticks: 3_600_000, timescale: 1_000))
    }

    /// The standard's placement opportunity (ANSI/SCTE 35 2022 §14.3) starts an ad break.
    @Test func aPlacementOpportunityIsAnAdBreak() throws {
        let cue = Self.cue(parameters: [AMF0Property("cue", .string(
            "/DA0AAAAAAAA///wBQb+cr0AUAAeAhxDVUVJSAAAjn/PAAGlmbAICAAAAAAsoKGKNAIAmsnRfg=="))])
        let marker = try #require(try CuePoint(cue).marker(timestamp: 0))
        #expect(marker.kind == .adBreak)
        #expect(marker.eventID == 0x4800_008E)
        #expect(marker.duration == MediaTime(ticks: 0x01_A599_B0 / 90, timescale: 1_000))
    }

    @Test func aNamedCueWithADuration() throws {
        let marker = try #require(try CuePoint(Self.cue(name: "spliceOut", parameters: [
            AMF0Property("duration", .number(30)), AMF0Property("id", .string("break \"7\"")),
        ])).marker(timestamp: 0))
        #expect(marker.kind == .adBreak)
        #expect(marker.id == "break--7-")
    }

    @Test func cuesThatStartNothing() throws {
        let back = SpliceInfoSection.breakEnd(eventID: 1, ptsTime: 0)
        #expect(try CuePoint(Self.cue(parameters: [AMF0Property("scte35", Self.base64(back))])).marker(timestamp: 0) == nil)
        #expect(try CuePoint(Self.cue(parameters: [AMF0Property("scte35", Self.base64(SpliceInfoSection(command: .null)))]))
            .marker(timestamp: 0) == nil)
        #expect(try CuePoint(Self.cue(name: "chapter", parameters: [AMF0Property("duration", .number(3))])).marker(timestamp: 0) == nil)
    }

    static let hostile: [(String, AMF0Value)] = [
        ("not base64", cue(parameters: [AMF0Property("scte35", .string("%%%"))])),
        ("not a section", cue(parameters: [AMF0Property("scte35", .string("AAAA"))])),
        ("a number for a cue", cue(parameters: [AMF0Property("scte35", .number(1))])),
        ("too long", cue(parameters: [AMF0Property("scte35", .string(String(repeating: "A", count: CuePoint.maximumBase64Bytes + 4)))])),
        ("a name too long", cue(name: String(repeating: "n", count: CuePoint.maximumNameBytes + 1), parameters: [])),
        ("a negative time", cue(time: -1, parameters: [])),
        ("an infinite time", cue(time: .infinity, parameters: [])),
        ("a duration of zero", cue(name: "adBreak", parameters: [AMF0Property("duration", .number(0))])),
        ("a duration of a year", cue(name: "adBreak", parameters: [AMF0Property("duration", .number(365 * 86_400))])),
        ("a truncated section", cue(parameters: [AMF0Property("scte35", .string(
            Data(SpliceInfoSection.breakStart(eventID: 1, ptsTime: 0, duration: 1).encoded().dropLast(3)).base64EncodedString()))])),
    ]

    @Test(arguments: 0..<hostile.count)
    func refusesHostileCues(_ index: Int) {
        let (what, value) = Self.hostile[index]
        #expect(throws: IngestError.self, "\(what)") {
            _ = try CuePoint(value).marker(timestamp: 0)
        }
    }

    @Test func aNamedCueWithoutADurationIsRefused() {
        #expect(throws: IngestError.self) { _ = try CuePoint(Self.cue(name: "adBreak", parameters: [])).marker(timestamp: 0) }
    }

    /// Through the publish session: the marker waits on the channel's hub for the packager.
    @Test func aPublishPostsTheMarkerOnItsChannel() throws {
        let channel = Hub().channel(named: "cues")
        let session = FLVPublishSession(publisher: try #require(channel.acquirePublisher()))
        let section = SpliceInfoSection.breakStart(eventID: 3, ptsTime: 0, duration: 90_000 * 15)
        try session.cuePoint(Self.cue(time: nil, parameters: [AMF0Property("scte35", Self.base64(section))]), timestamp: 4_000)
        let markers = channel.markers.take()
        #expect(markers.map(\.id) == ["scte35-3"])
        #expect(markers.first?.start == .mediaTime(MediaTime(ticks: 4_000, timescale: 1_000)))
        #expect(throws: IngestError.self) {
            try session.cuePoint(Self.cue(parameters: [AMF0Property("scte35", .string("AAAA"))]), timestamp: 5_000)
        }
        #expect(channel.markers.take().isEmpty)
    }
}
