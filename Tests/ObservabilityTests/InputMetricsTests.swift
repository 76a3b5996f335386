import Hub
import Ingest
import Logging
import MediaCore
import NIOCore
import Observability
import Testing

/// The input each channel follows and its switches (README "Backup inputs"), on the metrics page.
@Suite struct InputMetricsTests {
    static func keyFrame(_ publisher: HubPublisher, dts: Int64) {
        publisher.send(.sample(track: 0, Sample(dts: dts, isSync: true, data: ByteBuffer(bytes: [0]))))
    }

    /// One gauge per input, 1 for the one followed; the switch to the backup is counted, and every
    /// gauge falls to 0 once no input is left.
    @Test func theActiveInputAndTheSwitches() throws {
        let hub = Hub()
        let gateway = PublishGateway(
            hub: hub, authorizer: IngestMetricsTests.Granting(), publishes: LivePublishes(logger: Logger(label: "test")),
            logger: Logger(label: "test"))
        let exposition = MetricsExposition(collectors: [ServerCollectors.ingest(hub: hub, gateway: gateway)])
        let channel = hub.channel(named: "news")
        let primary = try #require(channel.acquirePublisher(role: .primary))
        let backup = try #require(channel.acquirePublisher(role: .backup))
        for publisher in [primary, backup] { publisher.send(.tracks([IngestMetricsTests.video])) }
        Self.keyFrame(primary, dts: 0)
        Self.keyFrame(backup, dts: 9_000)
        let onPrimary = exposition.render()
        #expect(onPrimary.contains(#"antenne_channel_input_active{channel="news",input="primary"} 1.0"#), "\(onPrimary)")
        #expect(onPrimary.contains(#"antenne_channel_input_active{channel="news",input="backup"} 0.0"#))
        #expect(onPrimary.contains(#"antenne_channel_input_switches_total{channel="news"} 0"#))

        primary.finish()
        Self.keyFrame(backup, dts: 12_000)
        let onBackup = exposition.render()
        #expect(onBackup.contains(#"antenne_channel_input_active{channel="news",input="primary"} 0.0"#), "\(onBackup)")
        #expect(onBackup.contains(#"antenne_channel_input_active{channel="news",input="backup"} 1.0"#))
        #expect(onBackup.contains(#"antenne_channel_input_active{channel="news",input="slate"} 0.0"#))
        #expect(onBackup.contains(#"antenne_channel_input_switches_total{channel="news"} 1"#))

        backup.finish()
        let offline = exposition.render()
        for input in InputRole.allCases {
            #expect(IngestMetricsTests.value(offline, #"antenne_channel_input_active{channel="news",input="\#(input.rawValue)"}"#) == 0, "\(offline)")
        }
        #expect(offline.contains(#"antenne_channel_input_switches_total{channel="news"} 1"#))
    }
}
