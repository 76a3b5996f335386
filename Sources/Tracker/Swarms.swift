/// The tracker's state: who is in which swarm, what each peer holds, and who reported whom. A
/// value with no I/O: each input returns the messages to send and the connections to close
/// (``Action``), which ``TrackerHub`` carries out. Time is given.
public struct Swarms: Sendable {
    public enum Action: Equatable, Sendable {
        case send(PeerID, TrackerEvent)
        /// Tell the peer why, then close its connection.
        case close(PeerID, TrackerEvent.Refusal)
    }

    struct Member: Sendable {
        var key: SwarmKey
        /// Where its connection comes from, if known: what a ban turns away.
        var address: String?
        var objects: [String] = []
        var budget: MessageBudget
        var reportedBy: Set<PeerID> = []
    }

    private(set) var members: [PeerID: Member] = [:]
    /// Each swarm's members, in the order they joined.
    private(set) var swarms: [SwarmKey: [PeerID]] = [:]
    private(set) var bans = AddressBans()
    let maximumSwarmSize: Int

    public init(maximumSwarmSize: Int = TrackerLimits.maximumSwarmSize) {
        self.maximumSwarmSize = maximumSwarmSize
    }

    /// Peers in each swarm.
    public var sizes: [SwarmKey: Int] { swarms.mapValues(\.count) }

    /// `peer` opened a connection to the swarm `key` from `address` (`nil`: not known): it is
    /// welcomed with the newest members and what they hold, and they hear of it; or, in a full
    /// swarm or from an address banned from the channel, refused.
    public mutating func join(_ peer: PeerID, to key: SwarmKey, from address: String? = nil, now: ContinuousClock.Instant) -> [Action] {
        let others = swarms[key] ?? []
        if let address, bans.isBanned(address, from: key.channel, now: now) { return [.close(peer, .banned)] }
        guard others.count < maximumSwarmSize else { return [.close(peer, .swarmFull)] }
        members[peer] = Member(key: key, address: address, budget: MessageBudget(now: now))
        swarms[key, default: []].append(peer)
        let listed = others.suffix(TrackerLimits.maximumPeersListed).map { TrackerEvent.Holding(id: $0, objects: members[$0]?.objects ?? []) }
        return [.send(peer, .welcome(id: peer, peers: listed))] + others.map { .send($0, .have(from: peer, objects: [])) }
    }

    /// `peer`'s connection closed (or was closed): the others hear of it.
    public mutating func leave(_ peer: PeerID) -> [Action] {
        guard let member = members.removeValue(forKey: peer) else { return [] }
        var remaining = swarms[member.key] ?? []
        remaining.removeAll { $0 == peer }
        swarms[member.key] = remaining.isEmpty ? nil : remaining
        return remaining.map { .send($0, .left(peer)) }
    }

    /// A text message from `peer`: parsed, counted against its budget, and acted on. A malformed
    /// message or one over the budget closes the connection.
    public mutating func receive(_ text: some Collection<UInt8>, from peer: PeerID, now: ContinuousClock.Instant) -> [Action] {
        guard members[peer] != nil else { return [] }
        guard members[peer]!.budget.spend(now: now) else { return [.close(peer, .rateLimited)] }
        let message: TrackerMessage
        do {
            message = try TrackerMessage(json: text)
        } catch {
            return [.close(peer, .malformed)]
        }
        return receive(message, from: peer, now: now)
    }

    mutating func receive(_ message: TrackerMessage, from peer: PeerID, now: ContinuousClock.Instant) -> [Action] {
        guard let member = members[peer] else { return [] }
        switch message {
        case .have(let objects):
            members[peer]?.objects = objects
            return others(of: peer, in: member.key).map { .send($0, .have(from: peer, objects: objects)) }
        case .signal(let to, let signal):
            // Only within the swarm: a peer cannot reach viewers of another channel.
            guard to != peer, members[to]?.key == member.key else { return [] }
            return [.send(to, .signal(from: peer, signal))]
        case .report(let suspect):
            guard suspect != peer, members[suspect]?.key == member.key else { return [] }
            members[suspect]?.reportedBy.insert(peer)
            guard members[suspect]!.reportedBy.count >= TrackerLimits.reportsToBan else { return [] }
            if let address = members[suspect]!.address { bans.ban(address, from: member.key.channel, now: now) }
            return [.close(suspect, .banned)]
        }
    }

    private func others(of peer: PeerID, in key: SwarmKey) -> [PeerID] {
        (swarms[key] ?? []).filter { $0 != peer }
    }
}
