import Foundation

/// A request for one page of a list. Lists are ordered by `(createdAt, id)`, which is stable: a row
/// created while a client pages through appears at the end, never shifts the pages before it.
public struct Page: Sendable, Hashable {
    /// How many items to return, in ``ControlLimits/pageLimit``.
    public var limit: Int
    /// The `nextCursor` of the previous page, or `nil` for the first page.
    public var after: String?

    public init(limit: Int = ControlLimits.defaultPageLimit, after: String? = nil) {
        self.limit = limit
        self.after = after
    }

    /// The first page with the default size.
    public static let first = Page()
}

/// One page of a list, and the cursor of the next one (`nil` on the last page).
public struct PageResult<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

extension PageResult: Equatable where Item: Equatable {}
extension PageResult: Hashable where Item: Hashable {}

/// Opaque page cursors: base64url of the last item's 16 UUID bytes.
enum PageCursor {
    static func encode(_ id: UUID) -> String {
        let u = id.uuid
        return Base64URL.encode([
            u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7, u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15,
        ])
    }

    static func decode(_ text: String) throws(ControlError) -> UUID {
        // 16 bytes are 22 base64url characters; anything else is not one of our cursors.
        guard text.utf8.count == 22, let b = Base64URL.decode(text), b.count == 16 else {
            throw .invalid(field: "after", reason: "not a cursor returned by this API")
        }
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}

extension Page {
    func validated() throws(ControlError) -> (limit: Int, after: UUID?) {
        guard ControlLimits.pageLimit.contains(limit) else {
            throw .invalid(
                field: "limit",
                reason: "must be \(ControlLimits.pageLimit.lowerBound)...\(ControlLimits.pageLimit.upperBound)"
            )
        }
        guard let after else { return (limit, nil) }
        return (limit, try PageCursor.decode(after))
    }
}
