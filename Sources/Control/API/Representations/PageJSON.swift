/// A page of a list: `{"items": [...], "nextCursor": "..." | null}`. Pass `nextCursor` as
/// `after` to get the next page; `null` means this is the last one.
struct PageJSON<Item: Encodable>: Encodable {
    let items: [Item]
    let nextCursor: Nullable<String>

    init<Record: Sendable>(_ page: PageResult<Record>, _ transform: (Record) -> Item) {
        items = page.items.map(transform)
        nextCursor = Nullable(page.nextCursor)
    }
}
