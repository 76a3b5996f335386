import MediaCore
import Testing
@testable import Restream

@Suite struct RestreamTracksTests {
    @Test func theSourceIsItsFirstVideoAndFirstAACTrack() throws {
        let tracks = try RestreamTracks([aacTrack(), h264Track()], rendition: nil)
        #expect(tracks.videoIndex == 1)
        #expect(tracks.audioIndex == 0)
        #expect(tracks.tracks.map(\.codec) == [.h264, .aac])
        #expect(tracks.muxerTrack(forHubTrack: 1) == 0)
        #expect(tracks.muxerTrack(forHubTrack: 0) == 1)
        #expect(tracks.muxerTrack(forHubTrack: 2) == nil)
    }

    @Test func aRenditionIsItsNamedVideoTrackWithTheAudio() throws {
        let infos = [h264Track(rendition: "1080p"), h264Track(rendition: "720p"), aacTrack()]
        let tracks = try RestreamTracks(infos, rendition: "720p")
        #expect(tracks.videoIndex == 1)
        #expect(tracks.audioIndex == 2)
        #expect(throws: RestreamError.self) { try RestreamTracks(infos, rendition: "480p") }
    }

    @Test func videoFLVCannotCarryIsRefused() {
        var av1 = h264Track()
        av1.codec = .av1
        #expect(throws: RestreamError.unsupportedSource("restreaming carries H.264 or HEVC video, not av1")) {
            try RestreamTracks([av1, aacTrack()], rendition: nil)
        }
        #expect(throws: RestreamError.self) { try RestreamTracks([aacTrack()], rendition: nil) }
    }

    @Test func ffmpegCopiesIntoTheDestinationsContainer() throws {
        let rtmp = RestreamCommand.arguments(for: try DestinationURL("rtmp://h/app", streamKey: "k"))
        #expect(rtmp.last == "rtmp://h/app/k")
        #expect(rtmp.value(after: "-c") == "copy")
        #expect(rtmp.value(after: "-f", occurrence: 1) == "flv")
        #expect(rtmp.value(after: "-i") == "pipe:0")
        let srt = RestreamCommand.arguments(for: try DestinationURL("srt://h:9000", streamKey: nil))
        #expect(srt.value(after: "-f", occurrence: 1) == "mpegts")
        #expect(!srt.contains("-flvflags"))
    }
}

extension Array where Element == String {
    /// The value after the `occurrence`-th (0-based) `option`.
    func value(after option: String, occurrence: Int = 0) -> String? {
        let positions = indices.filter { self[$0] == option && $0 + 1 < count }
        return positions.indices.contains(occurrence) ? self[positions[occurrence] + 1] : nil
    }
}
