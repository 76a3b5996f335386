import MediaCore
@testable import Transcoder

/// A source video track as ingest would describe it.
func videoTrack(width: Int, height: Int, frameRate: Rational? = Rational(30, 1)) -> TrackInfo {
    TrackInfo(
        codec: .h264, timescale: 90_000, decoderConfig: [], codecString: "avc1.64001f",
        video: VideoParameters(width: width, height: height, frameRate: frameRate))
}

/// A source AAC track.
func aacTrack(sampleRate: Int = 48_000, channels: Int = 2) -> TrackInfo {
    TrackInfo(
        codec: .aac, timescale: UInt32(sampleRate), decoderConfig: [0x11, 0x90], codecString: "mp4a.40.2",
        audio: AudioParameters(sampleRate: sampleRate, channelCount: channels, samplesPerFrame: 1024))
}

/// 1280x720 at 30 fps with AAC: the source most tests transcode.
let source720p = TranscoderInput(video: videoTrack(width: 1280, height: 720), audio: aacTrack())

extension Array where Element == String {
    /// The value following `option`, or nil.
    func value(after option: String) -> String? {
        guard let index = firstIndex(of: option), index + 1 < count else { return nil }
        return self[index + 1]
    }

    /// Every value following an occurrence of `option`.
    func values(after option: String) -> [String] {
        indices.filter { self[$0] == option && $0 + 1 < count }.map { self[$0 + 1] }
    }
}
