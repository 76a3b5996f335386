extension Array {
    /// Consecutive slices of at most `size` elements, in order.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        precondition(size > 0)
        return stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
