import Control
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

/// `channels/{id}/live`, `channels/{id}/history` and `server`: the running server's figures,
/// behind the same scopes as every other route.
@Suite struct MonitoringTests {
    /// Figures for channel `news` only.
    struct Figures: ChannelTelemetry {
        func live(channel: String) async -> LiveStatus {
            guard channel == "news" else { return LiveStatus(live: false) }
            var status = LiveStatus(
                live: true, videoCodec: "avc1.64001f", audioCodec: "mp4a.40.2", width: 1280, height: 720, bitrate: 2_500_000,
                framesPerSecond: 30, keyFrameInterval: 2, viewers: 7, latency: nil, renditions: ["720p", "360p"])
            status.input = .backup
            status.inputSwitches = 3
            status.srt = SRTLinkStatus(
                rttMilliseconds: 12.5, packetsReceived: 9_000, packetsLost: 4, packetsRetransmitted: 3, receiveBitrate: 2_600_000,
                latencyMilliseconds: 120)
            return status
        }

        func history(channel: String) async -> TelemetryHistory {
            TelemetryHistory(intervalSeconds: 10, samples: channel == "news" ? [
                .init(at: Date(timeIntervalSince1970: 1_750_000_000), bitrate: nil, viewers: 0, errors: 0),
                .init(at: Date(timeIntervalSince1970: 1_750_000_010), bitrate: 2_500_000, viewers: 7, errors: 2),
            ] : [])
        }

        func server() async -> ServerStatus {
            var status = ServerStatus()
            status.cpu = 0.25
            status.memoryBytes = 100_000_000
            status.transcoders = [.init(channel: "news", running: true, restarts: 1, speed: 1.01, lagSeconds: 0.4, lastError: nil)]
            status.liveChannels = 1
            return status
        }
    }

    func withMonitoring(_ body: @Sendable (APITestContext) async throws -> Void) async throws {
        try await withStore(.sqlite) { store in
            let router = Router()
            ControlAPI(store: store, adminToken: Secret(adminToken), telemetry: Figures(), logger: testLogger).add(to: router)
            try await Application(router: router, logger: testLogger).test(.router) { client in
                try await body(APITestContext(store: store, client: client))
            }
        }
    }

    /// A channel's figures are the telemetry's for its name; every answer matches the document.
    @Test func aChannelsLiveStatusAndHistory() async throws {
        try await withMonitoring { api in
            let (_, token) = try await api.organisation("federation")
            let news = try await api.channel("news", token: token)
            let quiet = try await api.channel("quiet", token: token)
            let live = try await api.expect(.ok, .get, "channels/\(news)/live", token: token)
            #expect(live["live"].bool == true)
            #expect(live["width"] == .number(1280))
            #expect(live["bitrate"] == .number(2_500_000))
            #expect(live["latency"] == .null)
            #expect(live["renditions"].array?.count == 2)
            #expect(live["input"].string == "backup")
            #expect(live["inputSwitches"] == .number(3))
            #expect(live["srt"]["rttMilliseconds"] == .number(12.5))
            #expect(live["srt"]["packetsReceived"] == .number(9_000))
            #expect(live["srt"]["packetsLost"] == .number(4))
            #expect(live["srt"]["packetsRetransmitted"] == .number(3))
            #expect(live["srt"]["receiveBitrate"] == .number(2_600_000))
            #expect(live["srt"]["latencyMilliseconds"] == .number(120))
            let offline = try await api.expect(.ok, .get, "channels/\(quiet)/live", token: token)
            #expect(offline["live"].bool == false)
            #expect(offline["videoCodec"] == .null)
            #expect(offline["input"] == .null)
            #expect(offline["inputSwitches"] == .number(0))
            #expect(offline["srt"] == .null)
            let history = try await api.expect(.ok, .get, "channels/\(news)/history", token: token)
            #expect(history["intervalSeconds"] == .number(10))
            #expect(history["samples"][0]["at"].string == "2025-06-15T15:06:40.000Z")
            #expect(history["samples"][0]["bitrate"] == .null)
            #expect(history["samples"][1]["errors"] == .number(2))
        }
    }

    /// Another organisation's channel is not found; the server's figures are the server admin's.
    @Test func scopes() async throws {
        try await withMonitoring { api in
            let (_, token) = try await api.organisation("federation")
            let (_, other) = try await api.organisation("league", role: "readOnly")
            let news = try await api.channel("news", token: token)
            try await api.expect(.notFound, .get, "channels/\(news)/live", token: other)
            try await api.expect(.notFound, .get, "channels/\(news)/history", token: other)
            try await api.expect(.unauthorized, .get, "channels/\(news)/live", token: nil)
            try await api.expect(.forbidden, .get, "server", token: token)
            let server = try await api.expect(.ok, .get, "server")
            #expect(server["cpu"] == .number(0.25))
            #expect(server["diskBytes"] == .null)
            #expect(server["transcoders"][0]["speed"] == .number(1.01))
            #expect(server["archive"]["failing"].bool == false)
        }
    }
}
