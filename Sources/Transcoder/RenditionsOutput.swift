import Containers
import Hub
import MediaCore
import NIOConcurrencyHelpers
import NIOCore

/// FFmpeg's stdout: MPEG-TS demuxed into the channel's renditions track set. Video streams come
/// in ladder order and are named after their rungs; the audio streams (one per source language,
/// with the language FFmpeg kept) join the shared `audio` group, named by the packager.
final class RenditionsOutput: Sendable {
    private let publisher: HubPublisher?
    private let names: [String]
    private let transcoder: ChannelTranscoder
    /// The demuxer, the bytes of a packet split across reads, and whether the output broke.
    private let demuxer: NIOLockedValueBox<(demuxer: TSDemuxer, partial: ByteBuffer, failed: Bool)>

    init(publisher: HubPublisher?, names: [String], demuxer: TSDemuxer, transcoder: ChannelTranscoder) {
        self.publisher = publisher
        self.names = names
        self.transcoder = transcoder
        self.demuxer = NIOLockedValueBox((demuxer, ByteBuffer(), false))
    }

    func receive(_ chunk: ByteBuffer) {
        let outputs: [TSDemuxer.Output]? = demuxer.withLockedValue { state in
            guard !state.failed else { return nil }
            var chunk = chunk
            state.partial.writeBuffer(&chunk)
            defer { state.partial.discardReadBytes() }
            do {
                return try state.demuxer.feed(&state.partial)
            } catch {
                state.failed = true
                transcoder.log.error("FFmpeg's output could not be demuxed: \(error); its renditions stop until FFmpeg restarts")
                transcoder.update { $0.demuxErrors += 1 }
                return nil
            }
        }
        guard let outputs, let publisher else { return }
        for output in outputs {
            switch output {
            case .tracks(let tracks):
                var videoCount = 0
                let infos = tracks.map { track -> TrackInfo in
                    var info = track.info
                    if info.mediaType == .video {
                        info.rendition = videoCount < names.count ? names[videoCount] : nil
                        videoCount += 1
                    }
                    return info
                }
                publisher.send(.tracks(infos))
            case .sample(let index, let sample):
                publisher.send(.sample(track: index, sample))
                if index == 0 {
                    transcoder.update { $0.outputTime = MediaTime(ticks: sample.pts, timescale: 90_000) }
                }
            case .spliceInfo:
                break  // FFmpeg's output carries no cues: markers reach the packager through the hub
            }
        }
    }

    /// FFmpeg is gone: the renditions' session ends.
    func finish() {
        publisher?.finish()
    }
}
