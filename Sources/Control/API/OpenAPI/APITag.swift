/// The groups of operations in the document, in its order.
enum APITag: String, Sendable, CaseIterable {
    case organisations, tokens, channels, keys, events, recordings, clips, webhooks, monitoring, meta
}
