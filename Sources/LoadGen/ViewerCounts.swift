/// What one viewer has done so far.
struct ViewerCounts: Sendable {
    /// Responses read in full.
    var requests = 0
    /// Body bytes read.
    var bytes = 0
    /// Parts received in full (viewers), or parts found available (the probe).
    var parts = 0
    /// Failures, by kind.
    var failures = [Int](repeating: 0, count: ViewerFailure.allCases.count)

    var errors: Int { failures.reduce(0, +) }

    static func + (a: ViewerCounts, b: ViewerCounts) -> ViewerCounts {
        ViewerCounts(requests: a.requests + b.requests, bytes: a.bytes + b.bytes, parts: a.parts + b.parts,
                     failures: zip(a.failures, b.failures).map(+))
    }
}

/// Why a viewer's request failed (it then connects again and starts over).
enum ViewerFailure: Int, CaseIterable, Sendable {
    /// A status other than 200.
    case status
    /// No byte within the timeout.
    case timeout
    /// The connection failed or closed under a request.
    case connection
    /// A body over `LoadGenLimits`.
    case limit
    /// A playlist without a part preload hint.
    case playlist

    var name: String { "\(self)" }
}
