import MediaCore
import NIOCore
@testable import Packager

/// A live window of one channel `talks` with one rendition `720p`: segment 4 complete (two parts),
/// segment 5 open with one part. Bytes are made up; only their digests matter here.
final class FakeWindows: LiveWindowDirectory, Sendable {
    let talks = FakeChannel()

    func channel(named name: String) -> (any LiveChannelWindow)? { name == "talks" ? talks : nil }
    var channels: [any LiveChannelWindow] { [talks] }
}

final class FakeChannel: LiveChannelWindow, Sendable {
    let rendition = FakeRendition()
    var name: String { "talks" }
    var isLive: Bool { true }
    var configuration: PackagerConfiguration { PackagerConfiguration() }
    var audioOnlyVariant: Bool { false }
    var listedRenditions: [any LiveRenditionWindow] { [rendition] }
    func listedRendition(named name: String) -> (any LiveRenditionWindow)? { name == "720p" ? rendition : nil }
}

final class FakeRendition: LiveRenditionWindow, Sendable {
    static let parts: [[UInt8]] = [[1, 2, 3], [4, 5], [6]]
    var name: String { "720p" }
    var track: TrackInfo? { nil }

    func snapshot() -> RenditionSnapshot? {
        let p = Self.parts.map { ByteBuffer(bytes: $0) }
        let complete = LiveSegment(
            msn: 4, startDTS: 0, duration: 180_000, discontinuity: false, programDateTime: 0, mapIndex: 0,
            parts: [LivePart(index: 0, duration: 90_000, independent: true, data: p[0]), LivePart(index: 1, duration: 90_000, independent: false, data: p[1])],
            data: [p[0], p[1]])
        let open = LiveSegment(
            msn: 5, startDTS: 180_000, duration: 90_000, discontinuity: false, programDateTime: 0, mapIndex: 0,
            parts: [LivePart(index: 0, duration: 90_000, independent: true, data: p[2])], data: nil)
        return RenditionSnapshot(
            name: "720p", track: TrackInfo(codec: .h264, timescale: 90_000, decoderConfig: [], codecString: "avc1.64001f"),
            segments: [complete, open], discontinuitySequence: 0, mapURIs: ["init.mp4"], longestSegment: 180_000,
            peakBitrate: 0, averageBitrate: 0, isLive: true, endedAt: nil, version: 1)
    }

    func initSegment(index: Int) -> ByteBuffer? { nil }
    func segment(msn: Int) -> [ByteBuffer]? { nil }
    func part(msn: Int, index: Int) -> ByteBuffer? { nil }
    func ready(for target: LiveWindowTarget, timeout: Duration, on loop: any EventLoop) -> EventLoopFuture<Bool> {
        loop.makeSucceededFuture(false)
    }
}
