import Hub
import Ingest

extension ServerCollectors {
    /// What encoders send, per channel (the hub's source track sets, not the transcoder's
    /// renditions), the input each channel follows (README "Backup inputs"), and publishes per protocol: the protocol is the publish request's source, so
    /// a new source is counted with no change here.
    public static func ingest(hub: Hub, gateway: PublishGateway) -> @Sendable (inout MetricSamples) -> Void {
        { samples in
            for channel in hub.allChannels where !channel.name.contains("/") {
                let labels = [("channel", channel.name)]
                let meter = channel.ingest
                samples.counter("antenne_ingest_received_bytes_total", "Media bytes received from the encoder, all tracks", meter.bytes, labels: labels)
                samples.counter("antenne_ingest_video_frames_total", "Video frames received from the encoder", meter.videoFrames, labels: labels)
                samples.counter("antenne_ingest_keyframes_total", "Video key frames received from the encoder", meter.keyFrames, labels: labels)
                let inputs = channel.inputStatus
                for input in InputRole.allCases {
                    samples.gauge("antenne_channel_input_active", "1 for the input the channel follows (primary, backup, slate); 0 for all while offline",
                                  inputs.active == input ? 1 : 0, labels: labels + [("input", input.rawValue)])
                }
                samples.counter("antenne_channel_input_switches_total", "Times the channel went from one input to another", inputs.switches, labels: labels)
                samples.gauge("antenne_channel_publish_lost", "1 when the channel's last publish ended without its encoder ending it (dropped, broken, silent)",
                              channel.lastEnding == .lost ? 1 : 0, labels: labels)
                guard channel.isLive, let window = meter.window else { continue }
                let seconds = Double(window.duration.ticks) / Double(window.duration.timescale)
                samples.gauge("antenne_ingest_bitrate_bps", "Bits per second the encoder sends, all tracks, over its last key-frame intervals",
                              Double(window.bytes) * 8 / seconds, labels: labels)
                samples.gauge("antenne_ingest_frames_per_second", "Video frames per second of media time, over the last key-frame intervals",
                              Double(window.frames) / seconds, labels: labels)
                samples.gauge("antenne_ingest_keyframe_interval_seconds", "Media time between the encoder's key frames, on average over the last ones",
                              seconds / Double(window.keyFrameIntervals), labels: labels)
            }
            for (source, counts) in gateway.statistics.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let labels = [("protocol", source.rawValue)]
                samples.counter("antenne_ingest_connects_total", "Publishes accepted", counts.connects, labels: labels)
                samples.counter("antenne_ingest_disconnects_total", "Accepted publishes that ended", counts.disconnects, labels: labels)
                samples.counter("antenne_ingest_lost_total", "Accepted publishes that ended without their encoder ending them", counts.lost, labels: labels)
                for reason in PublishGateway.Refusal.allReasons {
                    samples.counter("antenne_ingest_refusals_total", "Publishes refused, by reason", counts.refusals[reason] ?? 0,
                                    labels: labels + [("reason", reason)])
                }
            }
        }
    }
}
