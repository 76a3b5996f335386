import Archive
import Hummingbird
import NIOCore
import Packager
import Transcoder

/// `/metrics`: Prometheus text exposition of what operators watch at 3 a.m.: is each channel
/// live, are its renditions being produced, and does its transcoder keep up.
struct MetricsRoute {
    let packagers: PackagerRegistry
    let transcoders: @Sendable () -> [ChannelTranscoder]
    let archive: @Sendable () -> ArchiveWriter.Statistics
    let retention: @Sendable () -> RetentionService.Statistics

    func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: render()))
            )
        }
    }

    func render() -> String {
        var out = MetricsText()
        for packager in packagers.all {
            let labels = "channel=\"\(packager.name)\""
            let stats = packager.statistics
            out.add("antenne_channel_live", "gauge", "1 while an encoder publishes", labels, packager.isLive ? 1 : 0)
            out.add("antenne_packager_segments_total", "counter", "Segments completed, all renditions", labels, stats.segments)
            out.add("antenne_packager_gap_segments_total", "counter", "Segments a rendition missed (EXT-X-GAP)", labels, stats.gaps)
            out.add("antenne_packager_resubscriptions_total", "counter", "Times the packager fell behind the hub", labels, stats.resubscriptions)
        }
        for transcoder in transcoders() {
            let labels = "channel=\"\(transcoder.name)\""
            let status = transcoder.status
            out.add("antenne_transcoder_running", "gauge", "1 while the channel's FFmpeg runs", labels, status.running ? 1 : 0)
            out.add("antenne_transcoder_restarts_total", "counter", "FFmpeg restarts after a failure", labels, status.restarts)
            out.add("antenne_transcoder_speed", "gauge", "FFmpeg speed; below 1 the renditions fall behind", labels, status.progress?.speed ?? 0)
            out.add("antenne_transcoder_lag_seconds", "gauge", "How far the renditions trail the source", labels,
                    Double(status.lagMilliseconds ?? 0) / 1_000)
            out.add("antenne_transcoder_dropped_frames_total", "counter", "Frames FFmpeg dropped", labels, status.progress?.droppedFrames ?? 0)
            out.add("antenne_transcoder_duplicated_frames_total", "counter", "Frames FFmpeg duplicated", labels, status.progress?.duplicatedFrames ?? 0)
            out.add("antenne_transcoder_dropped_input_total", "counter", "Source samples not transcoded (FFmpeg too far behind)", labels, status.droppedInput)
        }
        let archive = archive()
        out.add("antenne_archive_segments_total", "counter", "Segments written to the archive", "", archive.segments)
        out.add("antenne_archive_bytes_total", "counter", "Bytes of segments written to the archive", "", archive.bytes)
        out.add("antenne_archive_write_failures_total", "counter", "Archive writes that failed (each is retried)", "", archive.failures)
        out.add("antenne_archive_dropped_segments_total", "counter", "Segments not archived because the queue was full", "", archive.dropped)
        out.add("antenne_archive_pending_segments", "gauge", "Segments waiting for the archive store", "", archive.pending)
        out.add("antenne_archive_pending_bytes", "gauge", "Bytes waiting for the archive store", "", archive.pendingBytes)
        out.add("antenne_archive_failing", "gauge", "1 while archive writes fail (store full or unavailable)", "", archive.failing ? 1 : 0)
        let retention = retention()
        out.add("antenne_archive_retention_deleted_segments_total", "counter", "Archived segments deleted by retention", "", retention.deletedSegments)
        out.add("antenne_archive_retention_deleted_bytes_total", "counter", "Archived bytes deleted by retention", "", retention.deletedBytes)
        out.add("antenne_archive_retention_failures_total", "counter", "Retention passes that failed", "", retention.failures)
        return out.text
    }
}

/// Prometheus text format 0.0.4: HELP and TYPE once per metric name, then its samples.
struct MetricsText {
    private var families: [(name: String, header: String, samples: [String])] = []

    mutating func add(_ name: String, _ type: String, _ help: String, _ labels: String, _ value: some Numeric & CustomStringConvertible) {
        let sample = labels.isEmpty ? "\(name) \(value)" : "\(name){\(labels)} \(value)"
        if let i = families.firstIndex(where: { $0.name == name }) {
            families[i].samples.append(sample)
        } else {
            families.append((name, "# HELP \(name) \(help)\n# TYPE \(name) \(type)", [sample]))
        }
    }

    var text: String {
        families.map { ([$0.header] + $0.samples).joined(separator: "\n") }.joined(separator: "\n") + "\n"
    }
}
