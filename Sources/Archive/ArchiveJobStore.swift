import Foundation

/// A clip to cut, as the job store hands it out.
public struct ClipOrder: Sendable, Hashable {
    public var id: UUID
    public var channel: String
    /// The rendition to cut; nil for the channel's best.
    public var rendition: String?
    /// Unix epoch milliseconds.
    public var start: Int64
    public var end: Int64

    public init(id: UUID, channel: String, rendition: String?, start: Int64, end: Int64) {
        self.id = id
        self.channel = channel
        self.rendition = rendition
        self.start = start
        self.end = end
    }
}

/// What the archive's jobs (``ClipJobs``, ``RetentionService``) need from the control plane,
/// which keeps the clips asked for, the channels' archive settings and the recordings that pin
/// their segments. Several servers may share one store: a claim holds a clip for `lease` seconds
/// unless progress renews it.
public protocol ArchiveJobStore: Sendable {
    /// Claims the next pending clip; nil if there is none.
    func claimNextClip(lease: Double) async throws -> ClipOrder?
    /// Saves progress (0...1) and renews the claim.
    func clipProgressed(_ id: UUID, progress: Double, lease: Double) async throws
    func clipFinished(_ id: UUID, size: Int64) async throws
    func clipFailed(_ id: UUID, reason: String) async throws
    /// Whether the clip still exists (its file is swept once it is deleted).
    func clipExists(_ id: UUID) async throws -> Bool
    /// A mark of the clip orders seen so far, taken before looking for one.
    var clipOrderMark: Int { get }
    /// Returns when a clip may be waiting: one was asked of this server since `mark`, or it is
    /// time to look for one another server was asked (often when the store is shared, rarely when
    /// it is not), or `atMost` has passed.
    func waitForClipOrders(after mark: Int, atMost: Duration) async

    /// The retention of each archived channel of `channels` (the archive's own directories): nil
    /// policy or an unknown channel is left out.
    func retentionTargets(channels: [String]) async -> [RetentionTarget]
}

/// One channel's retention, as a pass needs it.
public struct RetentionTarget: Sendable {
    public var channel: String
    public var policy: RetentionPolicy
    /// Unix ms ranges whose segments stay.
    public var pinned: [Range<Int64>]
    /// Told the oldest segment left, so what lies wholly before it can be forgotten.
    public var afterPass: @Sendable (_ oldestKept: Int64?) async -> Void

    public init(
        channel: String, policy: RetentionPolicy, pinned: [Range<Int64>],
        afterPass: @escaping @Sendable (_ oldestKept: Int64?) async -> Void = { _ in }
    ) {
        self.channel = channel
        self.policy = policy
        self.pinned = pinned
        self.afterPass = afterPass
    }
}
