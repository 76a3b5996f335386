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

extension PageJSON: APISuccess, APIRepresentation where Item: APIRepresentation {
    static var schema: APISchema {
        APISchema("\(Item.schema.name)Page", .representation(
            "One page of \(Item.schema.name) items, oldest first (ordered by createdAt, then id).",
            [
                "items": .array(of: Item.schema.reference),
                "nextCursor": .text("Pass as ?after= for the next page; null on the last page.", nullable: true),
            ]
        ))
    }
}
