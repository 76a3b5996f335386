import Foundation
import MediaCore

/// A 64x64 H.264 baseline track with a real configuration record (x264's SPS and PPS), so the
/// MPEG-TS muxer accepts it.
func h264Track(rendition: String? = nil) -> TrackInfo {
    let sps: [UInt8] = hex("6742c00ad90426c044000003000400000300c83c489920")
    let pps: [UInt8] = hex("68cb83cb20")
    let avcC: [UInt8] = [1, 0x42, 0xC0, 0x0A, 0xFF, 0xE1, 0, UInt8(sps.count)] + sps + [1, 0, UInt8(pps.count)] + pps
    return TrackInfo(
        codec: .h264, timescale: 90_000, decoderConfig: avcC, codecString: "avc1.42c00a",
        video: VideoParameters(width: 64, height: 64), rendition: rendition)
}

func aacTrack() -> TrackInfo {
    TrackInfo(
        codec: .aac, timescale: 48_000, decoderConfig: [0x11, 0x90], codecString: "mp4a.40.2",
        audio: AudioParameters(sampleRate: 48_000, channelCount: 2, samplesPerFrame: 1024))
}

func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

/// A script standing in for FFmpeg: it prints `message` on stderr and exits with `status`.
func fakeFFmpeg(printing message: String, status: Int32) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("fake-ffmpeg-\(UUID().uuidString)").path
    let script = "#!/bin/sh\necho \"\(message)\" >&2\nexit \(status)\n"
    try script.write(toFile: path, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    return path
}

/// A script standing in for an FFmpeg stuck on a destination that takes nothing: it never reads
/// its stdin.
func stuckFFmpeg() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("stuck-ffmpeg-\(UUID().uuidString)").path
    try "#!/bin/sh\nexec sleep 60\n".write(toFile: path, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    return path
}
