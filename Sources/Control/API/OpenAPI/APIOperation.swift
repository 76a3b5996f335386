/// What the document says of an endpoint beyond what its types say: its `operationId`, words
/// for humans, the query parameters it reads and the errors only the store knows it can answer.
struct APIOperation: Sendable {
    let id: String
    let summary: String
    let tag: APITag
    let description: String?
    /// The success response's description; the answer type's default when `nil`.
    let answer: String?
    let query: [APIQueryParameter]
    /// Error answers beyond those the endpoint's shape implies (``APIEndpoint/failures``): a
    /// conflict, or a 404 for an organisation named in the body.
    let failures: [APIFailure]

    init(
        _ id: String, _ summary: String, tag: APITag, description: String? = nil, answer: String? = nil,
        query: [APIQueryParameter] = [], failures: [APIFailure] = []
    ) {
        self.id = id
        self.summary = summary
        self.tag = tag
        self.description = description
        self.answer = answer
        self.query = query
        self.failures = failures
    }
}
