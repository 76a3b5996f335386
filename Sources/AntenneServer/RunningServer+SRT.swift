import Control
import Ingest
import Logging
import SRTIngest

extension RunningServer {
    /// The SRT listener, with the passphrase and latency of each configured channel by its key.
    static func srtIngest(_ configuration: ServerConfiguration, gateway: PublishGateway, logger: Logger) -> SRTIngestService {
        var srt = SRTIngestConfiguration(host: configuration.host, port: configuration.srtPort)
        srt.latencyMilliseconds = Int(configuration.srtLatency.components.seconds * 1_000
            + configuration.srtLatency.components.attoseconds / 1_000_000_000_000_000)
        let options = Dictionary(
            configuration.channels.filter { $0.srt != SRTChannelOptions() }.map { ($0.streamKey, $0.srt) },
            uniquingKeysWith: { first, _ in first })
        srt.channelOptions = { options[$0] }
        let encrypted = Set(configuration.channels.filter { $0.srt.passphrase != nil }.map(\.name))
        srt.requiresEncryption = { encrypted.contains($0) }
        srt.pulls = configuration.channels.compactMap { channel in
            channel.srtPull.map { SRTPull(channel: channel.name, streamKey: channel.streamKey, source: $0) }
        }
        return SRTIngestService(configuration: srt, gateway: gateway, logger: logger)
    }

    /// An SRT publish's libsrt figures as the API shows them (`channels/{id}/live`).
    static func srtLink(_ publisher: SRTPublisherStatistics) -> SRTLinkStatus {
        SRTLinkStatus(
            rttMilliseconds: publisher.rttMilliseconds, packetsReceived: publisher.packetsReceived,
            packetsLost: Int64(publisher.packetsLost), packetsRetransmitted: Int64(publisher.packetsRetransmitted),
            receiveBitrate: publisher.receiveRateMbps * 1_000_000, latencyMilliseconds: publisher.latencyMilliseconds)
    }
}
