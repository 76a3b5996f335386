import Control
import Foundation
import HTTPTypes
import Testing
import TestSupport

@Suite struct PaginationTests {
    @Test(arguments: Backend.allCases)
    func pagesAreStableWithoutDuplicates(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            var created: [String] = []
            for index in 0..<7 {
                created.append(try await api.channel("channel-\(index)", token: a.token))
            }

            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let path = "channels?limit=3" + (cursor.map { "&after=\($0)" } ?? "")
                let page = try await api.expect(.ok, .get, path, token: a.token)
                expectConforms(page, to: "ChannelPage")
                let ids = page["items"].array?.compactMap { $0["id"].string } ?? []
                #expect(ids.count == (pages < 2 ? 3 : 2), "page \(pages)")
                seen += ids
                cursor = page["nextCursor"].string
                pages += 1
                // A channel created while paging lands on a later page, never shifts earlier ones.
                if pages == 1 {
                    created.append(try await api.channel("late", token: a.token))
                }
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == created, "oldest first, each once")
            #expect(Set(seen).count == seen.count)

            // Re-reading a page with the same cursor gives the same items.
            let first = try await api.expect(.ok, .get, "channels?limit=3", token: a.token)
            let cursorAfterFirst = try #require(first["nextCursor"].string)
            let second = try await api.expect(.ok, .get, "channels?limit=3&after=\(cursorAfterFirst)", token: a.token)
            let again = try await api.expect(.ok, .get, "channels?limit=3&after=\(cursorAfterFirst)", token: a.token)
            #expect(second == again)

            // The default page size (50) holds all of them, and the last page says so.
            let all = try await api.expect(.ok, .get, "channels", token: a.token)
            #expect(all["items"].array?.count == 8)
            #expect(all["nextCursor"].isNull)
            let exact = try await api.expect(.ok, .get, "channels?limit=8", token: a.token)
            #expect(exact["nextCursor"].isNull)
        }
    }

    @Test(arguments: Backend.allCases)
    func everyListPages(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let channel = try await api.channel("demo", token: a.token)
            for index in 0..<3 {
                try await api.expect(.created, .post, "channels/\(channel)/keys", token: a.token, body: ["label": "k\(index)"])
                try await api.expect(.created, .post, "channels/\(channel)/events", token: a.token, body: [
                    "title": "e\(index)", "startsAt": "2030-01-01T0\(index):00:00Z", "endsAt": "2030-01-01T0\(index):30:00Z",
                ])
                try await api.expect(.created, .post, "organisations/\(a.id)/tokens", body: ["name": "t\(index)"])
                try await api.expect(.created, .post, "webhooks", token: a.token, body: [
                    "url": "https://example.com/\(index)", "events": ["stream.started"],
                ])
                try await api.expect(.created, .post, "organisations", body: ["name": "extra \(index)"])
            }
            for path in ["channels/\(channel)/keys", "channels/\(channel)/events", "organisations/\(a.id)/tokens", "webhooks", "organisations"] {
                var count = 0
                var cursor: String?
                repeat {
                    let separator = path.contains("?") ? "&" : "?"
                    let page = try await api.expect(.ok, .get, path + separator + "limit=2" + (cursor.map { "&after=\($0)" } ?? ""))
                    count += page["items"].array?.count ?? 0
                    cursor = page["nextCursor"].string
                } while cursor != nil && count < 100
                #expect(count >= 3, "\(path)")
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func badPageParametersAre400(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            for (query, field) in [
                ("limit=0", "limit"), ("limit=201", "limit"), ("limit=abc", "limit"), ("limit=-1", "limit"),
                ("limit=99999999999999999999", "limit"), ("after=nonsense", "after"),
                ("after=AAAAAAAAAAAAAAAAAAAAAA", "after"), ("organisationId=nope", "organisationId"),
            ] {
                let answer = try await api.call(.get, "channels?\(query)", token: a.token)
                #expect(answer.status == .badRequest, "\(query): \(answer)")
                #expect(answer.errorField == field, "\(query): \(answer)")
            }
            try await api.expect(.ok, .get, "channels?limit=200", token: a.token)
            try await api.expect(.ok, .get, "channels?limit=1", token: a.token)
        }
    }
}
