import MediaCore
import Testing
import TestSupport
@testable import Manifests

/// SCTE-35 events in a Period's EventStream (ISO/IEC 23009-1 §5.10.2, ANSI/SCTE 214-1 §6.7).
@Suite struct DASHEventStreamTests {
    @Test func rendersBeforeTheAdaptationSetsAndParsesBack() throws {
        var manifest = DASHManifestTests.manifest
        manifest.periods[0].eventStreams = [DASHManifest.EventStream(events: [
            DASHManifest.EventStream.Event(presentationTime: 4_000, duration: 30_000, id: 7, binary: "/DARAAA="),
        ])]
        let text = manifest.render()
        let tree = try #require(XMLTree.parse(text))
        let period = try #require(tree.child("Period"))
        #expect(period.children.first?.name == "EventStream")
        let stream = try #require(period.child("EventStream"))
        #expect(stream["schemeIdUri"] == "urn:scte:scte35:2014:xml+bin")
        #expect(stream["timescale"] == "1000")
        let event = try #require(stream.child("Event"))
        #expect(event["presentationTime"] == "4000")
        #expect(event["duration"] == "30000")
        #expect(event["id"] == "7")
        let signal = try #require(event.child("Signal"))
        #expect(signal.child("Binary") != nil)
        #expect(text.contains("<Binary>/DARAAA=</Binary>"))
        #expect(text.contains("<Signal xmlns=\"http://www.scte.org/schemas/35/2016\">"))
    }

    @Test func anEmptyStreamIsNotWritten() {
        var manifest = DASHManifestTests.manifest
        manifest.periods[0].eventStreams = [DASHManifest.EventStream(events: [])]
        #expect(!manifest.render().contains("EventStream"))
    }
}
