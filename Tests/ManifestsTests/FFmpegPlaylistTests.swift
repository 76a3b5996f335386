import Foundation
import MediaCore
import Testing
import Manifests

/// Parses what ffmpeg's `hls` muxer really writes. ffmpeg is a runtime dependency of Antenne
/// (Debian's `ffmpeg` package), so its absence is a failure, not a skip.
@Suite struct FFmpegPlaylistTests {
    static let ffmpeg = "/usr/bin/ffmpeg"

    /// Six seconds of 25 fps test pattern with a keyframe every 50 frames, cut into 2 s fMP4
    /// segments: exactly three segments of 2.000000 s.
    @Test(.timeLimit(.minutes(1)))
    func parsesFMP4VODPlaylist() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("manifests-ffmpeg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let playlistURL = directory.appendingPathComponent("index.m3u8")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.ffmpeg)
        process.arguments = [
            "-hide_banner", "-loglevel", "error", "-nostdin",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "6",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
            "-f", "hls", "-hls_time", "2", "-hls_segment_type", "fmp4", "-hls_playlist_type", "vod",
            "-hls_flags", "program_date_time+independent_segments",
            "-hls_fmp4_init_filename", "init.mp4",
            "-hls_segment_filename", directory.appendingPathComponent("seg%d.m4s").path,
            playlistURL.path,
        ]
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        let log = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        try #require(process.terminationStatus == 0, "ffmpeg failed: \(log)")

        let text = try String(contentsOf: playlistURL, encoding: .utf8)
        let playlist = try MediaPlaylist.parse(text, timescale: 90_000)

        #expect(playlist.playlistType == .vod)
        #expect(playlist.endList)
        #expect(playlist.independentSegments)
        #expect(playlist.targetDuration == 2)
        #expect(playlist.mediaSequence == 0)
        #expect(playlist.version >= 6)
        #expect(playlist.segments.map(\.uri) == ["seg0.m4s", "seg1.m4s", "seg2.m4s"])
        #expect(playlist.segments.allSatisfy { $0.duration == MediaTime(ticks: 180_000, timescale: 90_000) }, "\(text)")
        #expect(playlist.segments.allSatisfy { $0.map == MediaPlaylist.Map(uri: "init.mp4") })
        // program_date_time: consecutive segments are stamped 2 s apart.
        let stamps = playlist.segments.compactMap(\.programDateTime)
        #expect(stamps.count == 3, "\(text)")
        #expect(zip(stamps, stamps.dropFirst()).allSatisfy { $1 - $0 == 2_000 }, "\(text)")
        #expect(MediaPlaylist.requiredTargetDuration(for: playlist.segments) == playlist.targetDuration)

        // And our rendering of it parses back to the same model.
        #expect(try MediaPlaylist.parse(playlist.render(), timescale: 90_000) == playlist)
    }
}
