import Control
import Foundation
import HTTPTypes
import Testing
import TestSupport

/// `channels/{id}/schedule` and the channel's `slate` through the API, with a media directory of
/// two files (and a link that leaves it).
@Suite struct ScheduleAPITests {
    /// A media directory with `a.mp4` and `promo/b.mp4`, `out.mp4` linking outside it.
    static func withMedia<T>(_ body: (MediaLibrary, URL) async throws -> T) async throws -> T {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-media-\(UUID().uuidString)")
        let root = base.appendingPathComponent("media")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("promo"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        for file in ["a.mp4", "promo/b.mp4"] { try Data([0]).write(to: root.appendingPathComponent(file)) }
        try Data([0]).write(to: base.appendingPathComponent("outside.mp4"))
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("out.mp4"), withDestinationURL: base.appendingPathComponent("outside.mp4"))
        return try await body(MediaLibrary(root: root.path), base)
    }

    @Test(arguments: Backend.allCases)
    func aScheduleIsReplacedReadAndClearedWithinItsOrganisation(_ backend: Backend) async throws {
        try await Self.withMedia { media, base in
            try await withAPI(backend, media: media) { api in
                let a = try await api.organisation("A")
                let b = try await api.organisation("B")
                let channel = try await api.channel("tv", token: a.token)
                let path = "channels/\(channel)/schedule"
                let items: [[String: Any]] = [
                    ["path": "a.mp4", "startsAt": "2026-12-07T12:00:00Z"], ["path": "promo/b.mp4", "startsAt": "2026-12-07T13:30:00.5+01:00"],
                ]
                let replaced = try await api.expect(.ok, .put, path, token: a.token, body: ["items": items])
                expectConforms(replaced, to: "Schedule")
                #expect(replaced["items"][1]["startsAt"].string == "2026-12-07T12:30:00.500Z")
                let read = try await api.expect(.ok, .get, path, token: a.token)
                #expect(read == replaced)
                try await api.expect(.notFound, .get, path, token: b.token)
                try await api.expect(.notFound, .put, path, token: b.token, body: ["items": items])

                let refused: [([[String: Any]], String)] = [
                    ([["path": "../outside.mp4", "startsAt": "2026-12-07T12:00:00Z"]], "items[0].path"),
                    ([["path": base.appendingPathComponent("outside.mp4").path, "startsAt": "2026-12-07T12:00:00Z"]], "items[0].path"),
                    ([["path": "out.mp4", "startsAt": "2026-12-07T12:00:00Z"]], "items[0].path"),
                    ([["path": "missing.mp4", "startsAt": "2026-12-07T12:00:00Z"]], "items[0].path"),
                    ([["path": "a.mp4", "startsAt": "2026-12-07T12:00:00Z"], ["path": "a.mp4", "startsAt": "2026-12-07T11:00:00Z"]], "items[1].startsAt"),
                    ([["path": "a.mp4", "startsAt": "noon"]], "items[0].startsAt"),
                    ([["path": "a.mp4", "startsAt": "2026-12-07T12:00:00Z", "duration": 5]], "items[0].duration"),
                ]
                for (bad, field) in refused {
                    let answer = try await api.call(.put, path, token: a.token, body: ["items": bad])
                    #expect(answer.status == .badRequest && answer.errorField == field, "\(bad): \(answer)")
                }
                #expect(try await api.expect(.ok, .get, path, token: a.token) == replaced, "nothing refused replaced it")

                try await api.expect(.noContent, .delete, path, token: a.token)
                #expect(try await api.expect(.ok, .get, path, token: a.token)["items"].array?.isEmpty == true)
            }
        }
    }

    @Test func aServerWithoutAMediaDirectoryRefusesFiles() async throws {
        try await withAPI(.sqlite) { api in
            let a = try await api.organisation("A")
            let channel = try await api.channel("tv", token: a.token)
            let schedule = try await api.call(
                .put, "channels/\(channel)/schedule", body: ["items": [["path": "a.mp4", "startsAt": "2026-12-07T12:00:00Z"]]])
            #expect(schedule.status == .badRequest && schedule.errorField == "items[0].path", "\(schedule)")
            let slate = try await api.call(.patch, "channels/\(channel)", body: ["slate": ["source": "video", "path": "a.mp4"]])
            #expect(slate.status == .badRequest && slate.errorField == "slate.path", "\(slate)")
            let card = try await api.expect(.ok, .patch, "channels/\(channel)", body: ["slate": ["source": "card"]])
            #expect(card["slate"]["source"].string == "card" && card["slate"]["path"] == .null && card["slate"]["timeoutSeconds"] == .null)
        }
    }

    @Test(arguments: Backend.allCases)
    func aChannelsSlateIsSetChangedAndRemoved(_ backend: Backend) async throws {
        try await Self.withMedia { media, _ in
            try await withAPI(backend, media: media) { api in
                let a = try await api.organisation("A")
                let created = try await api.expect(
                    .created, .post, "channels", token: a.token, body: ["name": "tv", "slate": ["source": "image", "path": "promo/b.mp4", "timeoutSeconds": 30]])
                expectConforms(created, to: "Channel")
                #expect(created["slate"]["path"].string == "promo/b.mp4" && created["slate"]["timeoutSeconds"].int == 30)
                let id = try #require(created["id"].string)
                let kept = try await api.expect(.ok, .patch, "channels/\(id)", body: ["p2p": true])
                #expect(kept["slate"] == created["slate"], "absent: unchanged")
                for (slate, field) in [
                    (["source": "video", "path": "out.mp4"], "slate.path"), (["source": "film"], "slate.source"),
                    (["source": "card", "timeoutSeconds": 0], "slate.timeoutSeconds"), (["path": "a.mp4"], "slate.source"),
                ] as [([String: Any], String)] {
                    let answer = try await api.call(.patch, "channels/\(id)", body: ["slate": slate])
                    #expect(answer.status == .badRequest && answer.errorField == field, "\(slate): \(answer)")
                }
                let removed = try await api.expect(.ok, .patch, "channels/\(id)", body: ["slate": NSNull()])
                #expect(removed["slate"] == .null)
                expectConforms(removed, to: "Channel")
            }
        }
    }
}
