import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// The columns every listed table has; lists sort on them.
protocol PagedRow: Model where IDValue == UUID {}

extension ControlStore {
    /// Runs `query` for one page in `(created_at, id)` order.
    ///
    /// The position after the cursor is computed in SQL against the cursor row's stored values (a
    /// row-value comparison with a subquery), so timestamps are never round-tripped through Swift
    /// and compared for equality. The cursor must name a row the same query can see: a cursor from
    /// another organisation, or of a row deleted since, is rejected as invalid.
    func page<Row: PagedRow, Item: Sendable>(
        _ query: QueryBuilder<Row>, _ page: Page, _ operation: String,
        _ map: @escaping @Sendable (Row) throws -> Item
    ) async throws(ControlError) -> PageResult<Item> {
        let (limit, after) = try page.validated()
        return try await perform(operation) {
            let query = query.copy()
            if let after {
                guard try await query.copy().filter(.id, .equal, after).count() == 1 else {
                    throw ControlError.invalid(field: "after", reason: "unknown cursor")
                }
                let table = Row.schema
                query.filter(.sql(embed: """
                    (\(ident: table).\(ident: "created_at"), \(ident: table).\(ident: "id")) > \
                    (SELECT \(ident: "cursor").\(ident: "created_at"), \(ident: "cursor").\(ident: "id") \
                    FROM \(ident: table) AS \(ident: "cursor") WHERE \(ident: "cursor").\(ident: "id") = \(bind: after))
                    """))
            }
            let rows = try await query
                .sort("created_at")
                .sort("id")
                .limit(limit + 1)
                .all()
            let items = try rows.prefix(limit).map(map)
            let next = rows.count > limit ? try rows[limit - 1].requireID() : nil
            return PageResult(items: items, nextCursor: next.map(PageCursor.encode))
        }
    }
}

extension OrganisationRow: PagedRow {}
extension APITokenRow: PagedRow {}
extension ChannelRow: PagedRow {}
extension StreamKeyRow: PagedRow {}
extension EventRow: PagedRow {}
extension WebhookRow: PagedRow {}
extension WebhookDeliveryRow: PagedRow {}
extension RecordingRow: PagedRow {}
extension ClipRow: PagedRow {}
extension RestreamDestinationRow: PagedRow {}
