import MediaCore
import Manifests

/// Playlists shared by the render, parse and round-trip tests.
enum Fixtures {
    static func video(_ seconds: Double) -> MediaTime {
        // Test-only convenience: exact for the decimal literals used below.
        MediaTime(ticks: Int64((seconds * 90_000).rounded()), timescale: 90_000)
    }

    static func parts(_ msn: Int, count: Int) -> [MediaPlaylist.Part] {
        (0..<count).map { index in
            MediaPlaylist.Part(uri: "\(msn).\(index).m4s", duration: video(0.5), independent: index == 0)
        }
    }

    /// A live LL-HLS rendition: 2 s segments, 0.5 s parts, an encoder reconnect at MSN 102.
    static let live = MediaPlaylist(
        version: 9,
        targetDuration: 2,
        mediaSequence: 100,
        discontinuitySequence: 3,
        independentSegments: true,
        partTarget: video(0.5),
        serverControl: .init(canBlockReload: true, canSkipUntil: video(12), holdBack: video(6), partHoldBack: video(1.5)),
        segments: [
            .init(uri: "100.m4s", duration: video(2), map: .init(uri: "init.mp4"), programDateTime: 1_795_341_600_000),
            .init(uri: "101.m4s", duration: video(1.96), map: .init(uri: "init.mp4")),
            .init(
                uri: "102.m4s", duration: video(2), discontinuity: true, map: .init(uri: "init-1.mp4"),
                programDateTime: 1_795_341_900_000, parts: parts(102, count: 4)),
            .init(uri: "103.m4s", duration: video(2), map: .init(uri: "init-1.mp4"), parts: parts(103, count: 4)),
        ],
        inProgressSegment: .init(map: .init(uri: "init-1.mp4"), parts: parts(104, count: 2)),
        preloadHint: .init(uri: "104.2.m4s"),
        renditionReports: [
            .init(uri: "../720p/index.m3u8", lastMSN: 104, lastPart: 1),
            .init(uri: "../audio/index.m3u8", lastMSN: 104, lastPart: 1),
        ]
    )

    static let liveText = """
        #EXTM3U
        #EXT-X-VERSION:9
        #EXT-X-TARGETDURATION:2
        #EXT-X-MEDIA-SEQUENCE:100
        #EXT-X-DISCONTINUITY-SEQUENCE:3
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.00000,HOLD-BACK=6.00000,PART-HOLD-BACK=1.50000
        #EXT-X-PART-INF:PART-TARGET=0.50000
        #EXT-X-MAP:URI="init.mp4"
        #EXT-X-PROGRAM-DATE-TIME:2026-11-22T10:00:00.000Z
        #EXTINF:2.00000,
        100.m4s
        #EXTINF:1.96000,
        101.m4s
        #EXT-X-DISCONTINUITY
        #EXT-X-MAP:URI="init-1.mp4"
        #EXT-X-PROGRAM-DATE-TIME:2026-11-22T10:05:00.000Z
        #EXT-X-PART:DURATION=0.50000,URI="102.0.m4s",INDEPENDENT=YES
        #EXT-X-PART:DURATION=0.50000,URI="102.1.m4s"
        #EXT-X-PART:DURATION=0.50000,URI="102.2.m4s"
        #EXT-X-PART:DURATION=0.50000,URI="102.3.m4s"
        #EXTINF:2.00000,
        102.m4s
        #EXT-X-PART:DURATION=0.50000,URI="103.0.m4s",INDEPENDENT=YES
        #EXT-X-PART:DURATION=0.50000,URI="103.1.m4s"
        #EXT-X-PART:DURATION=0.50000,URI="103.2.m4s"
        #EXT-X-PART:DURATION=0.50000,URI="103.3.m4s"
        #EXTINF:2.00000,
        103.m4s
        #EXT-X-PART:DURATION=0.50000,URI="104.0.m4s",INDEPENDENT=YES
        #EXT-X-PART:DURATION=0.50000,URI="104.1.m4s"
        #EXT-X-PRELOAD-HINT:TYPE=PART,URI="104.2.m4s"
        #EXT-X-RENDITION-REPORT:URI="../720p/index.m3u8",LAST-MSN=104,LAST-PART=1
        #EXT-X-RENDITION-REPORT:URI="../audio/index.m3u8",LAST-MSN=104,LAST-PART=1

        """

    /// A 1080p/720p ladder sharing one stereo AAC group, plus an audio-only variant.
    static let multivariant = MultivariantPlaylist(
        version: 6,
        independentSegments: true,
        renditions: [
            .init(
                type: .audio, groupID: "aac", name: "English", language: "en", isDefault: true, autoselect: true,
                channels: "2", uri: "audio/index.m3u8"),
        ],
        variants: [
            .init(
                bandwidth: 6_000_000, averageBandwidth: 5_000_000, codecs: ["avc1.640028", "mp4a.40.2"],
                resolution: .init(width: 1920, height: 1080), frameRate: Rational(30_000, 1_001), audioGroup: "aac",
                uri: "1080p/index.m3u8"),
            .init(
                bandwidth: 3_000_000, codecs: ["avc1.64001f", "mp4a.40.2"], resolution: .init(width: 1280, height: 720),
                frameRate: Rational(25, 1), audioGroup: "aac", uri: "720p/index.m3u8"),
            .init(bandwidth: 140_000, codecs: ["mp4a.40.2"], audioGroup: "aac", uri: "audio/index.m3u8"),
        ]
    )

    static let multivariantText = """
        #EXTM3U
        #EXT-X-VERSION:6
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"
        #EXT-X-STREAM-INF:BANDWIDTH=6000000,AVERAGE-BANDWIDTH=5000000,CODECS="avc1.640028,mp4a.40.2",RESOLUTION=1920x1080,FRAME-RATE=29.970,AUDIO="aac"
        1080p/index.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=3000000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=25.000,AUDIO="aac"
        720p/index.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=140000,CODECS="mp4a.40.2",AUDIO="aac"
        audio/index.m3u8

        """
}
