import Hub
import Logging
import Synchronization

/// The one way into the hub for every source: RTMP, RTMPS, and SRT and file playout next. A
/// source presents a ``PublishRequest``; the gateway asks the ``PublishAuthorizer``, claims the
/// granted channel's ``HubPublisher`` and records the publish in ``LivePublishes``, so that a
/// withdrawn right ends it whatever protocol it came in on. The source then turns its own
/// container (FLV tags, MPEG-TS) into hub events on the publisher, and closes the ``Publish``.
public final class PublishGateway: Sendable {
    private let hub: Hub
    private let publishes: LivePublishes
    private let authorizer: any PublishAuthorizer
    private let logger: Logger
    /// Once the server is stopping, no new publish is let in.
    private let stopping = Atomic<Bool>(false)
    private let tally = PublishTally()

    public enum Refusal: Error, Sendable, Hashable {
        /// The key is unknown or revoked, or the admission hook said no.
        case notAuthorized
        /// Another publisher holds the channel's input (its primary, or its backup).
        case alreadyPublishing(channel: String)
        /// The server is stopping (draining): encoders should go to another server.
        case stopping
    }

    public init(hub: Hub, authorizer: any PublishAuthorizer, publishes: LivePublishes, logger: Logger) {
        self.hub = hub
        self.authorizer = authorizer
        self.publishes = publishes
        self.logger = logger
    }

    /// Authorizes `request` and claims its channel.
    /// - Parameter disconnect: ends the source's connection; called (once) if its right is withdrawn.
    public func open(_ request: PublishRequest, disconnect: @escaping @Sendable () -> Void) async -> Result<Publish, Refusal> {
        let result = await admit(request, disconnect: disconnect)
        tally.update(request.source) { counts in
            switch result {
            case .success: counts.connects += 1
            case .failure(let refusal): counts.refusals[refusal.reason, default: 0] += 1
            }
        }
        return result
    }

    /// Publishes by source since the server started, every source listed.
    public var statistics: [PublishSource: PublishCounts] { tally.all }

    private func admit(_ request: PublishRequest, disconnect: @escaping @Sendable () -> Void) async -> Result<Publish, Refusal> {
        guard !stopping.load(ordering: .relaxed) else {
            logger.notice("\(request.source.rawValue.uppercased()) publish refused: the server is stopping")
            return .failure(.stopping)
        }
        guard let grant = await authorizer.authorize(request) else { return .failure(.notAuthorized) }
        guard let publisher = hub.channel(named: grant.channel).acquirePublisher(role: grant.role) else {
            logger.notice(
                "\(request.source.rawValue.uppercased()) publish refused: channel already has a publisher",
                metadata: ["channel": "\(grant.channel)", "input": "\(grant.role.rawValue)"])
            return .failure(.alreadyPublishing(channel: grant.channel))
        }
        let id = publishes.insert(grant, disconnect: disconnect)
        let closed: @Sendable (PublishEnding) -> Void = { [tally] ending in
            tally.update(request.source) { counts in
                counts.disconnects += 1
                if ending == .lost { counts.lost += 1 }
            }
        }
        return .success(Publish(grant: grant, publisher: publisher, id: id, publishes: publishes, closed: closed))
    }
}

extension PublishGateway {
    /// Refuses every publish from now on; those already in go on until their sources close them.
    public func stopAccepting() {
        stopping.store(true, ordering: .relaxed)
    }
}

/// One accepted publish: its grant and the hub publisher it feeds. ``close(_:)`` ends it.
public final class Publish: Sendable {
    public let grant: PublishGrant
    public let publisher: HubPublisher
    private let id: Int
    private let publishes: LivePublishes
    /// Told once, at the first ``close(_:)``.
    private let closed: @Sendable (PublishEnding) -> Void
    private let isClosed = Atomic<Bool>(false)

    init(grant: PublishGrant, publisher: HubPublisher, id: Int, publishes: LivePublishes, closed: @escaping @Sendable (PublishEnding) -> Void) {
        self.grant = grant
        self.publisher = publisher
        self.id = id
        self.publishes = publishes
        self.closed = closed
    }

    /// Ends the publish session: the channel's readers get `.end` and the channel is free again;
    /// the counts keep how it ended, and so does the channel unless it never began. Idempotent:
    /// the first ending counts.
    public func close(_ ending: PublishEnding) {
        if isClosed.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged {
            closed(ending)
            if ending != .abandoned { publisher.channel.ended(ending) }
        }
        publishes.remove(id)
        publisher.finish()
    }
}
