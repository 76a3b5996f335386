import Testing
@testable import Tracker

@Suite struct SwarmsTests {
    let key = SwarmKey(channel: "talks", rendition: "720p")
    let start = ContinuousClock.now
    let a = PeerID(1)
    let b = PeerID(2)
    let c = PeerID(3)

    func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func aNewcomerIsWelcomedWithWhatOthersHoldAndTheyHearOfIt() {
        var swarms = Swarms()
        #expect(swarms.join(a, to: key, now: start) == [.send(a, .welcome(id: a, peers: []))])
        _ = swarms.receive(json(#"{"t":"have","o":["720p/4.m4s"]}"#), from: a, now: start)
        let actions = swarms.join(b, to: key, now: start)
        #expect(actions == [
            .send(b, .welcome(id: b, peers: [.init(id: a, objects: ["720p/4.m4s"])])),
            .send(a, .have(from: b, objects: [])),
        ])
        #expect(swarms.sizes == [key: 2])
    }

    @Test func aFullSwarmRefusesNewcomers() {
        var swarms = Swarms(maximumSwarmSize: 2)
        _ = swarms.join(a, to: key, now: start)
        _ = swarms.join(b, to: key, now: start)
        #expect(swarms.join(c, to: key, now: start) == [.close(c, .swarmFull)])
        #expect(swarms.sizes == [key: 2])
        // Another rendition is another swarm.
        #expect(swarms.join(c, to: SwarmKey(channel: "talks", rendition: "360p"), now: start).count == 1)
    }

    @Test func leavingIsToldAndEmptySwarmsAreForgotten() {
        var swarms = Swarms()
        _ = swarms.join(a, to: key, now: start)
        _ = swarms.join(b, to: key, now: start)
        #expect(swarms.leave(a) == [.send(b, .left(a))])
        #expect(swarms.leave(a) == [])
        #expect(swarms.leave(b) == [])
        #expect(swarms.sizes.isEmpty)
    }

    @Test func announcesGoToTheOthersOfTheSwarmOnly() {
        var swarms = Swarms()
        _ = swarms.join(a, to: key, now: start)
        _ = swarms.join(b, to: key, now: start)
        _ = swarms.join(c, to: SwarmKey(channel: "other", rendition: "720p"), now: start)
        let actions = swarms.receive(json(#"{"t":"have","o":["720p/5.m4s","audio/5.m4s"]}"#), from: a, now: start)
        #expect(actions == [.send(b, .have(from: a, objects: ["720p/5.m4s", "audio/5.m4s"]))])
    }

    @Test func signalsAreRelayedWithinTheSwarmOnly() {
        var swarms = Swarms()
        _ = swarms.join(a, to: key, now: start)
        _ = swarms.join(b, to: key, now: start)
        _ = swarms.join(c, to: SwarmKey(channel: "other", rendition: "720p"), now: start)
        let offer = #"{"t":"signal","to":"0000000000000002","d":{"kind":"offer","sdp":"v=0"}}"#
        #expect(swarms.receive(json(offer), from: a, now: start) == [.send(b, .signal(from: a, PeerSignal(kind: .offer, sdp: "v=0")))])
        let across = #"{"t":"signal","to":"0000000000000003","d":{"kind":"offer","sdp":"v=0"}}"#
        #expect(swarms.receive(json(across), from: a, now: start) == [])
    }

    @Test func aMalformedMessageClosesTheConnection() {
        var swarms = Swarms()
        _ = swarms.join(a, to: key, now: start)
        #expect(swarms.receive(json(#"{"t":"have"}"#), from: a, now: start) == [.close(a, .malformed)])
        #expect(swarms.receive(json("not json"), from: a, now: start) == [.close(a, .malformed)])
        #expect(swarms.receive(json(#"{"t":"signal","to":"2","d":{"kind":"offer","sdp":"v=0"}}"#), from: a, now: start) == [.close(a, .malformed)])
    }

    @Test func aPeerOverItsMessageBudgetIsClosed() {
        var swarms = Swarms()
        _ = swarms.join(a, to: key, now: start)
        let have = json(#"{"t":"have","o":[]}"#)
        for _ in 0..<Int(TrackerLimits.messageBurst) {
            #expect(swarms.receive(have, from: a, now: start) == [])
        }
        #expect(swarms.receive(have, from: a, now: start) == [.close(a, .rateLimited)])
        // A second later the sustained rate is back.
        #expect(swarms.receive(have, from: a, now: start + .seconds(1)) == [])
    }

    @Test func aPeerReportedByTwoOthersIsDropped() {
        var swarms = Swarms()
        _ = swarms.join(a, to: key, now: start)
        _ = swarms.join(b, to: key, now: start)
        _ = swarms.join(c, to: key, now: start)
        let report = json(#"{"t":"report","peer":"0000000000000003"}"#)
        #expect(swarms.receive(report, from: a, now: start) == [])
        // The same reporter twice is still one report.
        #expect(swarms.receive(report, from: a, now: start) == [])
        #expect(swarms.receive(report, from: b, now: start) == [.close(c, .banned)])
    }

    @Test(.bug(id: "p2p-address-ban", "issue 17: a banned peer came back at once on a new connection from the same address"))
    func aBannedPeersAddressCannotRejoinTheChannelUntilItsBanEnds() {
        var swarms = Swarms()
        _ = swarms.join(a, to: key, from: "192.0.2.1", now: start)
        _ = swarms.join(b, to: key, from: "192.0.2.2", now: start)
        _ = swarms.join(c, to: key, from: "198.51.100.7", now: start)
        let report = json(#"{"t":"report","peer":"0000000000000003"}"#)
        _ = swarms.receive(report, from: a, now: start)
        #expect(swarms.receive(report, from: b, now: start) == [.close(c, .banned)])
        _ = swarms.leave(c)
        let again = PeerID(4)
        // A new connection from the same address, to any rendition of the channel, is refused.
        #expect(swarms.join(again, to: key, from: "198.51.100.7", now: start + .seconds(5)) == [.close(again, .banned)])
        let audio = SwarmKey(channel: "talks", rendition: "audio")
        #expect(swarms.join(again, to: audio, from: "198.51.100.7", now: start + .seconds(5)) == [.close(again, .banned)])
        // Another channel, and another address, are not affected.
        let other = SwarmKey(channel: "news", rendition: "720p")
        #expect(swarms.join(again, to: other, from: "198.51.100.7", now: start + .seconds(5)).first == .send(again, .welcome(id: again, peers: [])))
        let neighbour = PeerID(5)
        #expect(swarms.join(neighbour, to: key, from: "198.51.100.8", now: start + .seconds(5)).first != .close(neighbour, .banned))
        // Once the ban has run out, the address is welcome again.
        let later = start + TrackerLimits.addressBanDuration + .seconds(1)
        let back = PeerID(6)
        #expect(swarms.join(back, to: key, from: "198.51.100.7", now: later).first != .close(back, .banned))
    }

    @Test func aPeerWithoutAKnownAddressIsBannedByConnectionOnly() {
        var swarms = Swarms()
        _ = swarms.join(a, to: key, now: start)
        _ = swarms.join(b, to: key, now: start)
        _ = swarms.join(c, to: key, now: start)
        let report = json(#"{"t":"report","peer":"0000000000000003"}"#)
        _ = swarms.receive(report, from: a, now: start)
        #expect(swarms.receive(report, from: b, now: start) == [.close(c, .banned)])
        #expect(swarms.bans.until.isEmpty)
    }

    @Test func theBanTableIsBoundedAndMakesRoomWithTheBanThatEndsFirst() {
        var bans = AddressBans(duration: .seconds(60), capacity: 3)
        bans.ban("10.0.0.1", from: "talks", now: start)
        bans.ban("10.0.0.2", from: "talks", now: start + .seconds(1))
        bans.ban("10.0.0.3", from: "talks", now: start + .seconds(2))
        bans.ban("10.0.0.4", from: "talks", now: start + .seconds(3))
        #expect(bans.until.count == 3)
        let now = start + .seconds(4)
        #expect(!bans.isBanned("10.0.0.1", from: "talks", now: now), "the oldest ban made room")
        #expect(bans.isBanned("10.0.0.2", from: "talks", now: now))
        #expect(bans.isBanned("10.0.0.4", from: "talks", now: now))
        // Bans that ran out are dropped before any that still hold.
        bans.ban("10.0.0.5", from: "talks", now: start + .seconds(62))
        #expect(bans.until.count == 2)
        #expect(bans.isBanned("10.0.0.4", from: "talks", now: start + .seconds(62)))
        #expect(bans.isBanned("10.0.0.5", from: "talks", now: start + .seconds(62)))
        #expect(!bans.isBanned("10.0.0.5", from: "talks", now: start + .seconds(123)))
    }
}
