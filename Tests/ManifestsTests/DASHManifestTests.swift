import MediaCore
import Testing
import TestSupport
@testable import Manifests

/// The MPD, rendered and read back as XML: a two-rung ladder and audio, six 2 s segments each.
@Suite struct DASHManifestTests {
    /// 2026-11-22T10:00:00.000Z.
    static let start: Int64 = 1_795_341_600_000

    static func template(_ name: String, timescale: UInt32, durations: [Int64], first: Int64, offset: Int64 = 0) -> DASHManifest.SegmentTemplate {
        var timeline: [DASHManifest.TimelineSegment] = []
        var t = first
        for d in durations {
            timeline.append(DASHManifest.TimelineSegment(start: t, duration: d))
            t += d
        }
        return DASHManifest.SegmentTemplate(
            timescale: timescale, presentationTimeOffset: offset, startNumber: 40, initialization: "../../hls/news/\(name)/init.mp4",
            media: .template("../../hls/news/\(name)/$Number$.m4s"), timeline: timeline)
    }

    static let videoDurations: [Int64] = [180_000, 180_000, 180_000, 183_000, 177_000, 180_000]
    static let audioDurations: [Int64] = [96_256, 95_232, 96_256, 96_256, 95_232, 96_256]

    static let manifest = DASHManifest(
        availabilityStartTime: start, publishTime: start + 95_000,
        minimumUpdatePeriod: MediaTime(ticks: 2, timescale: 1), timeShiftBufferDepth: MediaTime(ticks: 60, timescale: 1),
        suggestedPresentationDelay: MediaTime(ticks: 6, timescale: 1), minBufferTime: MediaTime(ticks: 2, timescale: 1),
        utcTiming: "/dash/time",
        periods: [DASHManifest.Period(id: "1795341600", start: 0, adaptationSets: [
            DASHManifest.AdaptationSet(id: 0, contentType: .video, representations: [
                DASHManifest.Representation(
                    id: "720p", codecs: "avc1.64001f", bandwidth: 3_000_000, width: 1280, height: 720, frameRate: Rational(30, 1),
                    segments: template("720p", timescale: 90_000, durations: videoDurations, first: 7_200_000)),
                DASHManifest.Representation(
                    id: "360p", codecs: "avc1.42c01e", bandwidth: 800_000, width: 640, height: 360, frameRate: Rational(30_000, 1_001),
                    segments: template("360p", timescale: 90_000, durations: videoDurations, first: 7_200_000)),
            ]),
            DASHManifest.AdaptationSet(id: 1, contentType: .audio, representations: [
                DASHManifest.Representation(
                    id: "audio", codecs: "mp4a.40.2", bandwidth: 130_000, audioSamplingRate: 48_000, audioChannels: 2,
                    segments: template("audio", timescale: 48_000, durations: audioDurations, first: 3_840_000, offset: 960)),
            ]),
        ])])

    /// The segments a `SegmentTimeline` lists, with `r` expanded and `t` carried (ISO/IEC 23009-1 §5.3.9.6).
    static func segments(_ timeline: XMLTree) -> [DASHManifest.TimelineSegment] {
        var out: [DASHManifest.TimelineSegment] = []
        var next: Int64 = 0
        for s in timeline.children(named: "S") {
            if let t = s["t"].flatMap({ Int64($0) }) { next = t }
            guard let d = s["d"].flatMap({ Int64($0) }) else { return [] }
            for _ in 0...(s["r"].flatMap { Int($0) } ?? 0) {
                out.append(DASHManifest.TimelineSegment(start: next, duration: d))
                next += d
            }
        }
        return out
    }

    @Test func rendersADynamicLiveProfileMPD() throws {
        let mpd = try #require(XMLTree.parse(Self.manifest.render()))
        #expect(mpd.name == "MPD")
        #expect(mpd["xmlns"] == nil || mpd["xmlns"] == "urn:mpeg:dash:schema:mpd:2011")
        #expect(mpd["type"] == "dynamic")
        #expect(mpd["profiles"] == "urn:mpeg:dash:profile:isoff-live:2011")
        #expect(mpd["availabilityStartTime"] == "2026-11-22T10:00:00.000Z")
        #expect(mpd["publishTime"] == "2026-11-22T10:01:35.000Z")
        #expect(mpd["minimumUpdatePeriod"] == "PT2.00000S")
        #expect(mpd["timeShiftBufferDepth"] == "PT60.00000S")
        #expect(mpd["suggestedPresentationDelay"] == "PT6.00000S")
        #expect(mpd["minBufferTime"] == "PT2.00000S")
        let timing = try #require(mpd.child("UTCTiming"))
        #expect(timing["schemeIdUri"] == "urn:mpeg:dash:utc:http-iso:2014")
        #expect(timing["value"] == "/dash/time")
        let periods = mpd.children(named: "Period")
        #expect(periods.count == 1)
        #expect(periods.first?["id"] == "1795341600")
        #expect(periods.first?["start"] == "PT0.00000S")
    }

    @Test func periodsFollowOneAnotherWithTheirStarts() throws {
        var manifest = Self.manifest
        var second = manifest.periods[0]
        second.id = "1795341720"
        second.start = 120_500
        manifest.periods.append(second)
        let mpd = try #require(XMLTree.parse(manifest.render()))
        let periods = mpd.children(named: "Period")
        #expect(periods.map { $0["id"] } == ["1795341600", "1795341720"])
        #expect(periods.map { $0["start"] } == ["PT0.00000S", "PT120.50000S"])
        #expect(periods.map { $0.children(named: "AdaptationSet").count } == [2, 2])
        // UTCTiming comes after the Periods (ISO/IEC 23009-1 §5.3.1.3).
        #expect(mpd.children.last?.name == "UTCTiming")
    }

    @Test func oneAdaptationSetPerMediaTypeAndEveryRung() throws {
        let mpd = try #require(XMLTree.parse(Self.manifest.render()))
        let sets = try #require(mpd.child("Period")).children(named: "AdaptationSet")
        #expect(sets.map { $0["contentType"] } == ["video", "audio"])
        #expect(sets.map { $0["mimeType"] } == ["video/mp4", "audio/mp4"])
        #expect(sets.allSatisfy { $0["segmentAlignment"] == "true" && $0["startWithSAP"] == "1" })
        let video = sets[0].children(named: "Representation")
        #expect(video.map { $0["id"] } == ["720p", "360p"])
        #expect(video.map { $0["codecs"] } == ["avc1.64001f", "avc1.42c01e"])
        #expect(video.map { $0["bandwidth"] } == ["3000000", "800000"])
        #expect(video.map { $0["width"] } == ["1280", "640"])
        #expect(video.map { $0["height"] } == ["720", "360"])
        #expect(video.map { $0["frameRate"] } == ["30", "30000/1001"])
        let audio = try #require(sets[1].child("Representation"))
        #expect(audio["audioSamplingRate"] == "48000")
        #expect(audio["width"] == nil)
        #expect(audio.child("AudioChannelConfiguration")?["value"] == "2")
    }

    @Test func segmentTemplateListsTheWindowInEachTimescale() throws {
        let mpd = try #require(XMLTree.parse(Self.manifest.render()))
        let representations = mpd.descendants(named: "Representation")
        #expect(representations.count == 3)
        for (representation, expected) in zip(representations, Self.manifest.periods[0].adaptationSets.flatMap(\.representations)) {
            let template = try #require(representation.child("SegmentTemplate"))
            #expect(template["timescale"] == String(expected.segments.timescale))
            #expect(template["startNumber"] == "40")
            #expect(template["media"] == "../../hls/news/\(expected.id)/$Number$.m4s")
            #expect(template["initialization"] == "../../hls/news/\(expected.id)/init.mp4")
            let timeline = try #require(template.child("SegmentTimeline"))
            #expect(Self.segments(timeline) == expected.segments.timeline)
        }
        // Equal durations run together; the first S carries t.
        let first = try #require(representations[0].child("SegmentTemplate")?.child("SegmentTimeline"))
        #expect(first.children(named: "S").count == 4)
        #expect(first.children(named: "S").first?["t"] == "7200000")
        #expect(first.children(named: "S").first?["r"] == "2")
        #expect(representations[0].child("SegmentTemplate")?["presentationTimeOffset"] == nil)
        #expect(representations[2].child("SegmentTemplate")?["presentationTimeOffset"] == "960")
    }

    @Test func aBreakInTheTimelineWritesT() throws {
        var manifest = Self.manifest
        manifest.periods[0].adaptationSets[0].representations[0].segments.timeline[3].start += 9_000
        manifest.periods[0].adaptationSets[0].representations[0].segments.timeline[4].start += 9_000
        manifest.periods[0].adaptationSets[0].representations[0].segments.timeline[5].start += 9_000
        let mpd = try #require(XMLTree.parse(manifest.render()))
        let timeline = try #require(mpd.descendants(named: "SegmentTimeline").first)
        #expect(Self.segments(timeline) == manifest.periods[0].adaptationSets[0].representations[0].segments.timeline)
        #expect(timeline.children(named: "S").filter { $0["t"] != nil }.count == 2)
    }

    @Test func everySegmentURLCarriesTheQueryEscaped() throws {
        let text = Self.manifest.render(query: URIQuery("dvr=60&token=a.b-c_d"))
        #expect(text.contains("$Number$.m4s?dvr=60&amp;token=a.b-c_d\""))
        let mpd = try #require(XMLTree.parse(text))
        let templates = mpd.descendants(named: "SegmentTemplate")
        #expect(templates.count == 3)
        for template in templates {
            #expect(template["media"]?.hasSuffix("/$Number$.m4s?dvr=60&token=a.b-c_d") == true)
            #expect(template["initialization"]?.hasSuffix("/init.mp4?dvr=60&token=a.b-c_d") == true)
        }
        // The clock is not ours to sign: it is not a segment URL.
        #expect(mpd.child("UTCTiming")?["value"] == "/dash/time")
    }
}
