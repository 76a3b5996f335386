import Control
import Foundation
import Testing
import TestSupport

@Suite("Pagination")
struct PaginationTests {
    @Test("12 channels in pages of 5: 5, 5, 2, stable, no duplicates", arguments: Backend.allCases)
    func threePages(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            var created: [Channel] = []
            for index in 0..<12 {
                created.append(try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "ch\(index)"), scope: orgs.scopeA))
                // Interleave another organisation's rows: they must not show up or shift pages.
                _ = try await store.createChannel(organisation: orgs.b.id, NewChannel(name: "b\(index)"), scope: orgs.scopeB)
            }

            let page1 = try await store.channels(scope: orgs.scopeA, page: Page(limit: 5))
            let cursor1 = try #require(page1.nextCursor)
            let page2 = try await store.channels(scope: orgs.scopeA, page: Page(limit: 5, after: cursor1))
            let cursor2 = try #require(page2.nextCursor)
            let page3 = try await store.channels(scope: orgs.scopeA, page: Page(limit: 5, after: cursor2))
            #expect(page1.items.count == 5)
            #expect(page2.items.count == 5)
            #expect(page3.items.count == 2)
            #expect(page3.nextCursor == nil)

            let paged = page1.items + page2.items + page3.items
            #expect(Set(paged.map(\.id)).count == 12)
            #expect(Set(paged.map(\.id)) == Set(created.map(\.id)))
            // The same order as one big page, which is (createdAt, id).
            let whole = try await store.channels(scope: orgs.scopeA, page: Page(limit: 200))
            #expect(whole.items == paged)
            #expect(whole.nextCursor == nil)
            #expect(zip(paged, paged.dropFirst()).allSatisfy { $0.createdAt <= $1.createdAt })

            // Stable: asking again with a cursor gives the same page, and new rows go at the end.
            #expect(try await store.channels(scope: orgs.scopeA, page: Page(limit: 5, after: cursor1)) == page2)
            let late = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "late"), scope: orgs.scopeA)
            #expect(try await store.channels(scope: orgs.scopeA, page: Page(limit: 5, after: cursor1)) == page2)
            let tail = try await store.channels(scope: orgs.scopeA, page: Page(limit: 5, after: cursor2))
            #expect(tail.items == page3.items + [late])
        }
    }

    @Test("limits and cursors are validated", arguments: Backend.allCases)
    func validation(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            _ = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "a1"), scope: orgs.scopeA)
            _ = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "a2"), scope: orgs.scopeA)
            _ = try await store.createChannel(organisation: orgs.b.id, NewChannel(name: "b1"), scope: orgs.scopeB)
            _ = try await store.createChannel(organisation: orgs.b.id, NewChannel(name: "b2"), scope: orgs.scopeB)

            for limit in [0, -1, 201] {
                let error = await controlError { _ = try await store.channels(scope: orgs.scopeA, page: Page(limit: limit)) }
                #expect(error == .invalid(field: "limit", reason: "must be 1...200"))
            }
            for cursor in ["", "not a cursor", "AAAA", String(repeating: "A", count: 23)] {
                let error = await controlError { _ = try await store.channels(scope: orgs.scopeA, page: Page(limit: 1, after: cursor)) }
                #expect(error == .invalid(field: "after", reason: "not a cursor returned by this API"))
            }
            // A cursor from another organisation's list tells nothing about it.
            let foreign = try #require(try await store.channels(scope: orgs.scopeB, page: Page(limit: 1)).nextCursor)
            let error = await controlError { _ = try await store.channels(scope: orgs.scopeA, page: Page(limit: 1, after: foreign)) }
            #expect(error == .invalid(field: "after", reason: "unknown cursor"))
        }
    }
}
