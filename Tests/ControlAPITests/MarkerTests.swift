import Control
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import Testing
import TestSupport

/// `POST channels/{id}/markers`: checked, bounded, and refused with 409 on a channel that is not live.
@Suite struct MarkerTests {
    /// Channel `news` is live and takes two markers; every other channel is offline.
    final class Markers: ChannelMarkers, Sendable {
        let received = NIOLockedValueBox<[MarkerRequest]>([])

        func insert(_ marker: MarkerRequest, channel: String) -> MarkerInsertion {
            guard channel == "news" else { return .notLive }
            return received.withLockedValue { received in
                guard received.count < 2 else { return .full(limit: 2) }
                received.append(marker)
                return .accepted
            }
        }
    }

    func withMarkers(_ body: @Sendable (APITestContext, Markers) async throws -> Void) async throws {
        let markers = Markers()
        try await withStore(.sqlite) { store in
            let router = Router()
            ControlAPI(store: store, adminToken: Secret(adminToken), markers: markers, logger: testLogger).add(to: router)
            try await Application(router: router, logger: testLogger).test(.router) { client in
                try await body(APITestContext(store: store, client: client), markers)
            }
        }
    }

    @Test func anAdBreakNowAndAProgrammeAtADate() async throws {
        try await withMarkers { api, markers in
            let (_, token) = try await api.organisation("tv")
            let news = try await api.channel("news", token: token)
            let now = try await api.expect(.accepted, .post, "channels/\(news)/markers", token: token,
                                           body: ["kind": "adBreak", "duration": 30, "id": "break-1"])
            #expect(now["id"].string == "break-1")
            #expect(now["duration"] == .number(30))
            #expect(now["start"] == .null)
            let dated = try await api.expect(.accepted, .post, "channels/\(news)/markers", token: token,
                                             body: ["kind": "programme", "duration": 1_800.5, "start": "2026-12-07T09:00:00Z"])
            #expect(dated["start"].string == "2026-12-07T09:00:00.000Z")
            #expect(UUID(uuidString: dated["id"].string ?? "") != nil)
            let received = markers.received.withLockedValue { $0 }
            #expect(received.map(\.kind) == [.adBreak, .programme])
            #expect(received.map(\.durationMilliseconds) == [30_000, 1_800_500])
            #expect(received.first?.start == .now)
            #expect(received.last?.start == .date(1_796_634_000_000))
            // Two wait already: the third is refused until the packager takes them.
            let full = try await api.call(.post, "channels/\(news)/markers", token: token, body: ["kind": "adBreak", "duration": 10])
            #expect(full.status == .conflict)
        }
    }

    @Test func aChannelThatIsNotLiveAnswers409() async throws {
        try await withMarkers { api, _ in
            let (_, token) = try await api.organisation("tv")
            let quiet = try await api.channel("quiet", token: token)
            let answer = try await api.call(.post, "channels/\(quiet)/markers", token: token, body: ["kind": "adBreak", "duration": 30])
            #expect(answer.status == .conflict)
            #expect(answer.errorMessage.contains("not live"))
        }
    }

    @Test func refusesWhatItCannotMark() async throws {
        try await withMarkers { api, markers in
            let (_, token) = try await api.organisation("tv")
            let news = try await api.channel("news", token: token)
            let bad: [([String: Any], String)] = [
                (["kind": "adBreak"], "duration"),
                (["kind": "commercial", "duration": 30], "kind"),
                (["kind": "adBreak", "duration": 0], "duration"),
                (["kind": "adBreak", "duration": 86_401], "duration"),
                (["kind": "adBreak", "duration": 30, "id": "no spaces"], "id"),
                (["kind": "adBreak", "duration": 30, "id": String(repeating: "x", count: 65)], "id"),
                (["kind": "adBreak", "duration": 30, "start": "2026-12-07T09:00:00Z", "mediaTime": 3], "mediaTime"),
                (["kind": "adBreak", "duration": 30, "mediaTime": -1], "mediaTime"),
                (["kind": "adBreak", "duration": 30, "scte35": "0xFC"], "scte35"),
            ]
            for (body, field) in bad {
                let answer = try await api.call(.post, "channels/\(news)/markers", token: token, body: body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.errorField == field, "\(body): \(answer)")
            }
            let padded = "{\"kind\":\"adBreak\",\"duration\":30" + String(repeating: " ", count: ControlLimits.markerBodyBytes) + "}"
            let large = try await api.call(.post, "channels/\(news)/markers", token: token, rawBody: padded,
                                           headers: [.contentType: "application/json"])
            #expect(large.status == .contentTooLarge)
            #expect(markers.received.withLockedValue { $0 }.isEmpty)
        }
    }
}
