import Testing
@testable import Tracker

@Suite struct TrackerMessageTests {
    func parse(_ text: String) throws(TrackerError) -> TrackerMessage { try TrackerMessage(json: Array(text.utf8)) }

    @Test func theThreeFormsParse() throws {
        #expect(try parse(#"{"t":"have","o":["720p/41.m4s","audio/41.2.m4s"]}"#) == .have(["720p/41.m4s", "audio/41.2.m4s"]))
        #expect(try parse(#"{"t":"signal","to":"00000000000000ff","d":{"kind":"candidate","candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","mid":"0","mline":0}}"#)
            == .signal(to: PeerID(255), PeerSignal(kind: .candidate, candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host", mid: "0", mline: 0)))
        #expect(try parse(#"{"t":"report","peer":"00000000000000ff"}"#) == .report(PeerID(255)))
    }

    @Test(arguments: [
        #"{"t":"bye"}"#,
        #"{"t":"have","o":["../../etc/passwd"]}"#,
        #"{"t":"have","o":["noslash"]}"#,
        #"{"t":"have","o":[1]}"#,
        #"{"t":"signal","to":"00000000000000ff","d":{"kind":"offer"}}"#,
        #"{"t":"signal","to":"00000000000000ff","d":{"kind":"candidate","sdp":"v=0"}}"#,
        #"{"t":"signal","to":"00000000000000ff","d":{"kind":"hello","sdp":"v=0"}}"#,
        #"{"t":"report","peer":"zz"}"#,
        #"[1,2]"#,
    ])
    func malformedMessagesAreRefused(_ text: String) {
        #expect(throws: TrackerError.self) { try parse(text) }
    }

    @Test func tooManyObjectsOrTooLongAMessageIsRefused() {
        let many = (0...TrackerLimits.maximumAnnouncedObjects).map { "\"a/\($0).m4s\"" }.joined(separator: ",")
        #expect(throws: TrackerError.self) { try parse(#"{"t":"have","o":[\#(many)]}"#) }
        let long = String(repeating: "x", count: TrackerLimits.maximumMessageBytes)
        let text = #"{"t":"signal","to":"00000000000000ff","d":{"kind":"offer","sdp":"\#(long)"}}"#
        #expect(throws: TrackerError.messageTooLong(text.utf8.count)) { try parse(text) }
    }

    @Test func eventsEncodeAsTheProtocolSays() {
        #expect(TrackerEvent.welcome(id: PeerID(1), peers: [.init(id: PeerID(2), objects: ["a/1.m4s"])]).json(ice: .init(servers: ["stun:example.net"], stunPort: 3478))
            == #"{"ice":["stun:example.net"],"id":"0000000000000001","peers":[{"id":"0000000000000002","o":["a/1.m4s"]}],"stunPort":3478,"t":"welcome"}"#)
        #expect(TrackerEvent.left(PeerID(2)).json() == #"{"from":"0000000000000002","t":"left"}"#)
        #expect(TrackerEvent.refused(.swarmFull).json() == #"{"reason":"swarm full","t":"refused"}"#)
    }
}
