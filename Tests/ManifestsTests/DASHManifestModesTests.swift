import MediaCore
import Testing
import TestSupport
@testable import Manifests

/// What the MPD renders beyond a plain live window: low-latency signalling, a `SegmentList` of
/// named segments, and a static MPD.
@Suite struct DASHManifestModesTests {
    static let service = DASHManifest.ServiceDescription(targetLatency: 1_500, minimumLatency: 1_000, maximumLatency: 6_000, playbackRates: 960...1_040)

    static var lowLatency: DASHManifest {
        var manifest = DASHManifestTests.manifest
        manifest.serviceDescription = service
        for set in manifest.periods[0].adaptationSets.indices {
            for index in manifest.periods[0].adaptationSets[set].representations.indices {
                manifest.periods[0].adaptationSets[set].representations[index].segments.availabilityTimeOffset = MediaTime(ticks: 1_500, timescale: 1_000)
            }
        }
        return manifest
    }

    @Test func lowLatencySignalling() throws {
        let mpd = try #require(XMLTree.parse(Self.lowLatency.render()))
        // The service description comes before the Periods (ISO/IEC 23009-1 §5.3.1.3).
        #expect(mpd.children.map(\.name) == ["ServiceDescription", "Period", "UTCTiming"])
        let latency = try #require(mpd.child("ServiceDescription")?.child("Latency"))
        #expect(latency["target"] == "1500" && latency["min"] == "1000" && latency["max"] == "6000" && latency["referenceId"] == "0")
        let rate = try #require(mpd.child("ServiceDescription")?.child("PlaybackRate"))
        #expect(rate["min"] == "0.96" && rate["max"] == "1.04")
        for representation in mpd.descendants(named: "Representation") {
            let template = try #require(representation.child("SegmentTemplate"))
            #expect(template["availabilityTimeOffset"] == "1.50000")
            #expect(template["availabilityTimeComplete"] == "false")
            // The Period's start is presented at its wall clock: AST + Period@start, media time PTO.
            let reference = try #require(representation.child("ProducerReferenceTime"))
            #expect(reference["id"] == "0" && reference["type"] == "encoder")
            #expect(reference["wallClockTime"] == "2026-11-22T10:00:00.000Z")
            #expect(reference["presentationTime"] == (representation["id"] == "audio" ? "960" : "0"))
            // Before the segment addressing, after the channel configuration.
            let names = representation.children.map(\.name)
            #expect(names.firstIndex(of: "ProducerReferenceTime")! < names.firstIndex(of: "SegmentTemplate")!)
        }
    }

    @Test func aPlainLiveMPDHasNoLowLatencySignalling() throws {
        let text = DASHManifestTests.manifest.render()
        for name in ["ServiceDescription", "ProducerReferenceTime", "availabilityTimeOffset", "availabilityTimeComplete"] {
            #expect(!text.contains(name), "\(name)")
        }
    }

    @Test func namedSegmentsAreListed() throws {
        var manifest = DASHManifestTests.manifest
        let template = manifest.periods[0].adaptationSets[1].representations[0].segments
        let urls = (0..<template.timeline.count).map { "../../hls/news/audio/archive/20261122-10-\($0).m4s" }
        manifest.periods[0].adaptationSets[1].representations[0].segments.media = .list(urls)
        let mpd = try #require(XMLTree.parse(manifest.render(query: URIQuery("token=abc"))))
        #expect(mpd["profiles"] == DASHManifest.fullProfile)
        let audio = try #require(mpd.descendants(named: "Representation").last)
        #expect(audio.child("SegmentTemplate") == nil)
        let list = try #require(audio.child("SegmentList"))
        // Initialization, SegmentTimeline, then the SegmentURLs (MultipleSegmentBaseType, §5.3.9.3).
        #expect(list.children.map(\.name) == ["Initialization", "SegmentTimeline"] + Array(repeating: "SegmentURL", count: urls.count))
        #expect(list.child("Initialization")?["sourceURL"] == "../../hls/news/audio/init.mp4?token=abc")
        #expect(list.children(named: "SegmentURL").map { $0["media"] } == urls.map { $0 + "?token=abc" })
        #expect(list["startNumber"] == "40" && list["timescale"] == "48000" && list["presentationTimeOffset"] == "960")
        #expect(DASHManifestTests.segments(try #require(list.child("SegmentTimeline"))) == template.timeline)
        // The others keep their templates.
        #expect(mpd.descendants(named: "SegmentTemplate").count == 2)
    }

    @Test func aStaticMPDStartsAtItsFirstPeriod() throws {
        var manifest = DASHManifestTests.manifest
        manifest.type = .static
        manifest.periods[0].start = 1_795_341_600_000
        manifest.availabilityStartTime = 0
        manifest.startAtFirstPeriod()
        #expect(manifest.availabilityStartTime == 1_795_341_600_000)
        #expect(manifest.periods[0].start == 0)
        let mpd = try #require(XMLTree.parse(manifest.render()))
        #expect(mpd["type"] == "static")
        #expect(mpd["availabilityStartTime"] == "2026-11-22T10:00:00.000Z")
        // Six 2 s segments from media time 80 s (7,200,000 at 90 kHz), PTO 0: they end at 92 s.
        #expect(mpd["mediaPresentationDuration"] == "PT92.00000S")
        for dynamicOnly in ["minimumUpdatePeriod", "timeShiftBufferDepth", "suggestedPresentationDelay"] {
            #expect(mpd[dynamicOnly] == nil, "\(dynamicOnly)")
        }
        #expect(mpd.child("Period")?["start"] == "PT0.00000S")
    }

    @Test func thousandths() {
        #expect(DASHManifest.thousandths(960) == "0.96")
        #expect(DASHManifest.thousandths(1_000) == "1")
        #expect(DASHManifest.thousandths(1_040) == "1.04")
        #expect(DASHManifest.thousandths(1_005) == "1.005")
    }
}
