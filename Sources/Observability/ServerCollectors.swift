import Archive
import Delivery
import Packager
import Transcoder

/// The collectors of what operators watch at 3 a.m.: is each channel live, are its renditions
/// being produced, does its transcoder keep up, does the archive keep up, what do viewers get.
public enum ServerCollectors {
    public static func packagers(_ registry: PackagerRegistry) -> @Sendable (inout MetricSamples) -> Void {
        { samples in
            for packager in registry.all {
                let labels = [("channel", packager.name)]
                let stats = packager.statistics
                samples.gauge("antenne_channel_live", "1 while an encoder publishes", packager.isLive ? 1 : 0, labels: labels)
                samples.counter("antenne_packager_segments_total", "Segments completed, all renditions", stats.segments, labels: labels)
                samples.counter("antenne_packager_gap_segments_total", "Segments a rendition missed (EXT-X-GAP)", stats.gaps, labels: labels)
                samples.counter("antenne_packager_resubscriptions_total", "Times the packager fell behind the hub", stats.resubscriptions, labels: labels)
                samples.counter("antenne_packager_empty_grid_periods_total",
                                "Segment-target periods with no key frame (a key-frame interval over the target; see docs/NUMBERING.md)",
                                stats.emptyGridPeriods, labels: labels)
            }
        }
    }

    public static func transcoders(_ transcoders: @escaping @Sendable () -> [ChannelTranscoder]) -> @Sendable (inout MetricSamples) -> Void {
        { samples in
            for transcoder in transcoders() {
                let labels = [("channel", transcoder.name)]
                let status = transcoder.status
                samples.gauge("antenne_transcoder_running", "1 while the channel's FFmpeg runs", status.running ? 1 : 0, labels: labels)
                samples.counter("antenne_transcoder_restarts_total", "FFmpeg restarts after a failure", status.restarts, labels: labels)
                samples.gauge("antenne_transcoder_speed", "FFmpeg speed; below 1 the renditions fall behind", status.progress?.speed ?? 0, labels: labels)
                samples.gauge("antenne_transcoder_lag_seconds", "How far the renditions trail the source", Double(status.lagMilliseconds ?? 0) / 1_000, labels: labels)
                samples.counter("antenne_transcoder_dropped_frames_total", "Frames FFmpeg dropped", status.progress?.droppedFrames ?? 0, labels: labels)
                samples.counter("antenne_transcoder_duplicated_frames_total", "Frames FFmpeg duplicated", status.progress?.duplicatedFrames ?? 0, labels: labels)
                samples.counter("antenne_transcoder_dropped_input_total", "Source samples not transcoded (FFmpeg too far behind)", status.droppedInput, labels: labels)
            }
        }
    }

    /// The players' quality reports (`POST /player/beacon`), per channel. Startups are counted
    /// by how soon the first frame came (cumulative, as histogram buckets are); an average is a
    /// sum over a count.
    public static func viewers(_ reports: ViewerReports) -> @Sendable (inout MetricSamples) -> Void {
        { samples in
            for (channel, c) in reports.snapshot.sorted(by: { $0.key < $1.key }) {
                let labels = [("channel", channel)]
                samples.counter("antenne_viewer_reports_total", "Quality reports received from players", c.reports, labels: labels)
                let within = ViewerReports.startupBounds.map(String.init) + ["any"]
                for (i, bound) in within.enumerated() {
                    samples.counter("antenne_viewer_startups_total", "First frames reported, by how soon after the load (ms; any: all)",
                                    c.startupBuckets[i], labels: labels + [("within_ms", bound)])
                }
                samples.counter("antenne_viewer_startup_seconds_total", "Players' startup times in total",
                                seconds: Double(c.startupMillisecondsSum) / 1_000, labels: labels)
                samples.counter("antenne_viewer_stalls_total", "Stalls players reported", c.stalls, labels: labels)
                samples.counter("antenne_viewer_stall_seconds_total", "Time players spent stalled",
                                seconds: Double(c.stallMillisecondsSum) / 1_000, labels: labels)
                samples.counter("antenne_viewer_latency_seconds_total", "Latencies reported at the live edge, in total",
                                seconds: c.latencySum, labels: labels)
                samples.counter("antenne_viewer_latency_reports_total", "Reports with a latency", c.latencyReports, labels: labels)
                samples.counter("antenne_viewer_bitrate_bps_total", "Bitrates reported (bits per second), in total", c.bitrateSum, labels: labels)
                samples.counter("antenne_viewer_bitrate_reports_total", "Reports with a bitrate", c.bitrateReports, labels: labels)
                samples.counter("antenne_viewer_http_bytes_total", "Media bytes P2P players got over HTTP", c.httpBytes, labels: labels)
                samples.counter("antenne_viewer_peer_bytes_total", "Media bytes P2P players got from peers", c.peerBytes, labels: labels)
                if c.httpBytes + c.peerBytes > 0 {
                    samples.gauge("antenne_viewer_p2p_offload_ratio", "Share of P2P players' media bytes that came from peers, since start",
                                  Double(c.peerBytes) / Double(c.httpBytes + c.peerBytes), labels: labels)
                }
            }
        }
    }

    public static func archive(
        _ writer: ArchiveWriter, retention: RetentionService
    ) -> @Sendable (inout MetricSamples) -> Void {
        { samples in
            let archive = writer.statistics
            samples.counter("antenne_archive_segments_total", "Segments written to the archive", archive.segments)
            samples.counter("antenne_archive_bytes_total", "Bytes of segments written to the archive", archive.bytes)
            samples.counter("antenne_archive_write_failures_total", "Archive writes that failed (each is retried)", archive.failures)
            samples.counter("antenne_archive_dropped_segments_total", "Segments not archived because the queue was full", archive.dropped)
            samples.gauge("antenne_archive_pending_segments", "Segments waiting for the archive store", Double(archive.pending))
            samples.gauge("antenne_archive_pending_bytes", "Bytes waiting for the archive store", Double(archive.pendingBytes))
            samples.gauge("antenne_archive_failing", "1 while archive writes fail (store full or unavailable)", archive.failing ? 1 : 0)
            let retention = retention.statistics
            samples.counter("antenne_archive_retention_deleted_segments_total", "Archived segments deleted by retention", retention.deletedSegments)
            samples.counter("antenne_archive_retention_deleted_bytes_total", "Archived bytes deleted by retention", retention.deletedBytes)
            samples.counter("antenne_archive_retention_failures_total", "Retention passes that failed", retention.failures)
        }
    }
}
