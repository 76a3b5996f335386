import NIOCore
import Testing
@testable import RTMP

@Suite struct ServerSessionTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    func command(_ name: String, _ transactionID: Double, object: AMF0Value = .null, _ arguments: AMF0Value..., stream: UInt32 = 0) -> RTMPMessage {
        RTMPCommand(name: name, transactionID: transactionID, commandObject: object, arguments: arguments).message(messageStreamID: stream)
    }

    func connect(app: String = "live", extra: [AMF0Property] = []) -> RTMPMessage {
        command("connect", 1, object: .object([AMF0Property("app", .string(app)), AMF0Property("tcUrl", .string("rtmp://h/\(app)"))] + extra))
    }

    func sent(_ action: RTMPServerSession.Action) -> [RTMPMessage] {
        switch action {
        case .send(let messages), .endPublish(let messages), .close(let messages, _): return messages
        default: return []
        }
    }

    func commands(_ action: RTMPServerSession.Action) throws -> [RTMPCommand] {
        try sent(action).filter { $0.typeID == .amf0Command }.map { try RTMPCommand($0) }
    }

    /// A session that went through connect, createStream and publish("key"), accepted.
    func publishingSession() throws -> RTMPServerSession {
        var session = RTMPServerSession(now: Self.start)
        _ = try session.receive(connect())
        _ = try session.receive(command("createStream", 4))
        #expect(try session.receive(command("publish", 5, .string("key"), .string("live"), stream: 1)) == .authorizePublish(streamKey: "key"))
        _ = session.publishAccepted()
        #expect(session.isPublishing)
        return session
    }

    @Test func connectReplies() throws {
        var session = RTMPServerSession(now: Self.start)
        let action = try session.receive(connect())
        let messages = sent(action)
        #expect(messages.count == 4)
        #expect(try RTMPControlMessage(messages[0]) == .windowAcknowledgementSize(2_500_000))
        #expect(try RTMPControlMessage(messages[1]) == .setPeerBandwidth(2_500_000, limitType: 2))
        #expect(try RTMPControlMessage(messages[2]) == .setChunkSize(4096))
        let result = try RTMPCommand(messages[3])
        #expect(result.name == "_result")
        #expect(result.transactionID == 1)
        #expect(result.commandObject["fmsVer"] == .string("FMS/3,0,1,123"))
        #expect(result.commandObject["capabilities"] == .number(31))
        #expect(result.arguments.first?["level"] == .string("status"))
        #expect(result.arguments.first?["code"] == .string("NetConnection.Connect.Success"))
        #expect(result.arguments.first?["objectEncoding"] == .number(0))
    }

    @Test func enhancedRTMPConnectWithFourCcListIsAccepted() throws {
        var session = RTMPServerSession(now: Self.start)
        let action = try session.receive(connect(extra: [AMF0Property("fourCcList", .strictArray([.string("hvc1"), .string("av01")]))]))
        #expect(try commands(action).first?.arguments.first?["code"] == .string("NetConnection.Connect.Success"))
    }

    @Test(arguments: ["vod", "", "live2", "other/live"])
    func connectToAnotherAppIsRejected(app: String) throws {
        var session = RTMPServerSession(now: Self.start)
        let action = try session.receive(connect(app: app))
        guard case .close(_, .connectRejected) = action else {
            Issue.record("expected a rejection, got \(action)")
            return
        }
        let reply = try #require(try commands(action).first)
        #expect(reply.name == "_error")
        #expect(reply.arguments.first?["code"] == .string("NetConnection.Connect.Rejected"))
    }

    @Test func appWithQueryOrTrailingSlashIsLive() throws {
        for app in ["live/", "live?token=1"] {
            var session = RTMPServerSession(now: Self.start)
            #expect(try commands(session.receive(connect(app: app))).first?.name == "_result", "\(app)")
        }
    }

    /// The sequence ffmpeg and OBS send, with a stream key carrying a query string.
    @Test func publishSequence() throws {
        var session = RTMPServerSession(now: Self.start)
        _ = try session.receive(connect())

        let release = try commands(session.receive(command("releaseStream", 2, .string("key?x=1"))))
        #expect(release.map(\.name) == ["_result"])
        #expect(release.first?.transactionID == 2)

        let fcPublish = try commands(session.receive(command("FCPublish", 3, .string("key?x=1"))))
        #expect(fcPublish.map(\.name) == ["_result", "onFCPublish"])

        let create = try commands(session.receive(command("createStream", 4)))
        #expect(create.first?.name == "_result")
        #expect(create.first?.transactionID == 4)
        #expect(create.first?.arguments == [.number(1)])

        // Media before an accepted publish is dropped.
        #expect(try session.receive(message(csid: 6, type: .video, timestamp: 0, bytes: [0x17])) == .none)

        #expect(try session.receive(command("publish", 5, .string("key?x=1"), .string("live"), stream: 1)) == .authorizePublish(streamKey: "key"))
        // Still dropped while the owner decides.
        #expect(try session.receive(message(csid: 6, type: .video, timestamp: 0, bytes: [0x17])) == .none)

        let accepted = session.publishAccepted()
        let messages = sent(accepted)
        #expect(try RTMPControlMessage(messages[0]) == .userControl(.streamBegin(streamID: 1)))
        let status = try RTMPCommand(messages[1])
        #expect(status.name == "onStatus")
        #expect(messages[1].messageStreamID == 1)
        #expect(status.arguments.first?["code"] == .string("NetStream.Publish.Start"))

        #expect(try session.receive(message(csid: 4, type: .audio, timestamp: 23, bytes: [0xAF, 1])) == .media(.audio, timestamp: 23, body: ByteBuffer(bytes: [0xAF, 1])))
        #expect(try session.receive(message(csid: 6, type: .video, timestamp: 33, bytes: [0x27])) == .media(.video, timestamp: 33, body: ByteBuffer(bytes: [0x27])))

        let fcUnpublish = try session.receive(command("FCUnpublish", 6, .string("key")))
        guard case .endPublish = fcUnpublish else {
            Issue.record("FCUnpublish did not end the publish: \(fcUnpublish)")
            return
        }
        #expect(!session.isPublishing)
        #expect(try session.receive(message(csid: 6, type: .video, timestamp: 66, bytes: [0x27])) == .none)
        #expect(try session.receive(command("deleteStream", 7, .number(1))) == .none)
    }

    @Test(arguments: ["deleteStream", "closeStream", "FCUnpublish"])
    func commandsThatEndThePublish(name: String) throws {
        var session = try publishingSession()
        guard case .endPublish = try session.receive(command(name, 9, .number(1), stream: name == "closeStream" ? 1 : 0)) else {
            Issue.record("\(name) did not end the publish")
            return
        }
        #expect(!session.isPublishing)
    }

    @Test func metadataFromSetDataFrame() throws {
        var session = try publishingSession()
        let properties: AMF0Value = .ecmaArray([AMF0Property("width", .number(320)), AMF0Property("encoder", .string("Lavf"))])
        var payload = ByteBuffer()
        payload.writeAMF0([.string("@setDataFrame"), .string("onMetaData"), properties])
        let data = RTMPMessage(chunkStreamID: 4, typeID: .amf0Data, messageStreamID: 1, payload: payload)
        #expect(try session.receive(data) == .metadata(properties))

        payload.clear()
        payload.writeAMF0([.string("onMetaData"), properties])
        #expect(try session.receive(RTMPMessage(chunkStreamID: 4, typeID: .amf0Data, messageStreamID: 1, payload: payload)) == .metadata(properties))
    }

    /// `onCuePoint` (FLV spec E.4.4.1), alone or behind `@setDataFrame`, with its message's time.
    @Test func cuePointsOfThePublish() throws {
        var session = try publishingSession()
        let cue: AMF0Value = .object([AMF0Property("name", .string("scte35")), AMF0Property("type", .string("event"))])
        var payload = ByteBuffer()
        payload.writeAMF0([.string("onCuePoint"), cue])
        let data = RTMPMessage(chunkStreamID: 4, typeID: .amf0Data, timestamp: 4_000, messageStreamID: 1, payload: payload)
        #expect(try session.receive(data) == .cuePoint(cue, timestamp: 4_000))
        payload.clear()
        payload.writeAMF0([.string("@setDataFrame"), .string("onCuePoint"), cue])
        #expect(try session.receive(RTMPMessage(chunkStreamID: 4, typeID: .amf0Data, timestamp: 5, messageStreamID: 1, payload: payload))
            == .cuePoint(cue, timestamp: 5))
        payload.clear()
        payload.writeAMF0([.string("onCuePoint"), .string("not an object")])
        #expect(try session.receive(RTMPMessage(chunkStreamID: 4, typeID: .amf0Data, messageStreamID: 1, payload: payload)) == .none)
    }

    @Test func metadataBeforePublishIsDropped() throws {
        var session = RTMPServerSession(now: Self.start)
        _ = try session.receive(connect())
        var payload = ByteBuffer()
        payload.writeAMF0([.string("@setDataFrame"), .string("onMetaData"), .ecmaArray([])])
        #expect(try session.receive(RTMPMessage(chunkStreamID: 4, typeID: .amf0Data, messageStreamID: 1, payload: payload)) == .none)
    }

    @Test(arguments: [RTMPServerSession.PublishRefusal.unknownStreamKey, .alreadyPublishing, .serverStopping])
    func refusedPublishClosesWithAnError(refusal: RTMPServerSession.PublishRefusal) throws {
        var session = RTMPServerSession(now: Self.start)
        _ = try session.receive(connect())
        _ = try session.receive(command("createStream", 2))
        _ = try session.receive(command("publish", 3, .string("nope"), stream: 1))
        let action = session.publishRefused(refusal)
        guard case .close(let messages, .publishRefused(refusal)) = action else {
            Issue.record("expected close, got \(action)")
            return
        }
        let status = try RTMPCommand(try #require(messages.first))
        #expect(status.arguments.first?["level"] == .string("error"))
        // A draining server rejects the publish (the encoder should go elsewhere); a bad key or a
        // taken channel is a bad name.
        #expect(status.arguments.first?["code"]
                == .string(refusal == .serverStopping ? "NetStream.Publish.Rejected" : "NetStream.Publish.BadName"))
        let description = status.arguments.first?["description"]?.stringValue ?? ""
        #expect(!description.contains("nope"), "the stream key is never echoed")
        if refusal == .alreadyPublishing { #expect(description.lowercased().contains("already publishing")) }
        if refusal == .serverStopping { #expect(description.lowercased().contains("stopping")) }
        #expect(try session.receive(message(csid: 6, type: .video, timestamp: 0, bytes: [0x17])) == .none)
    }

    @Test func publishAbandonedWhileAuthorizing() throws {
        var session = RTMPServerSession(now: Self.start)
        _ = try session.receive(connect())
        _ = try session.receive(command("publish", 3, .string("key"), stream: 1))
        _ = try session.receive(command("deleteStream", 4, .number(1)))
        #expect(session.publishAccepted() == .none)
        #expect(!session.isPublishing)
    }

    @Test func emptyPublishNameIsRefused() throws {
        var session = RTMPServerSession(now: Self.start)
        _ = try session.receive(connect())
        guard case .close(_, .invalidPublishName) = try session.receive(command("publish", 3, .string("?only=query"), stream: 1)) else {
            Issue.record("an empty key was not refused")
            return
        }
    }

    @Test func playIsRefused() throws {
        var session = RTMPServerSession(now: Self.start)
        _ = try session.receive(connect())
        let action = try session.receive(command("play", 3, .string("key"), stream: 1))
        guard case .close(_, .playRefused) = action else {
            Issue.record("play was not refused: \(action)")
            return
        }
        #expect(try commands(action).first?.arguments.first?["code"] == .string("NetStream.Play.Failed"))
    }

    @Test func amf3CommandWithLeadingZeroIsDecoded() throws {
        var session = RTMPServerSession(now: Self.start)
        var amf0 = connect()
        var payload = ByteBuffer(bytes: [0])
        payload.writeBuffer(&amf0.payload)
        let message = RTMPMessage(chunkStreamID: 3, typeID: .amf3Command, payload: payload)
        #expect(try commands(session.receive(message)).first?.name == "_result")
    }

    @Test func malformedCommandIsAProtocolError() {
        var session = RTMPServerSession(now: Self.start)
        let message = RTMPMessage(chunkStreamID: 3, typeID: .amf0Command, payload: ByteBuffer(bytes: [0x02, 0x00, 0x09, 0x61]))
        #expect(throws: RTMPError.self) { try session.receive(message) }
    }

    @Test func pingRequestIsAnswered() throws {
        var session = RTMPServerSession(now: Self.start)
        let ping = RTMPControlMessage.userControl(.pingRequest(timestamp: 1234)).message
        #expect(try session.receive(ping) == .send([RTMPControlMessage.userControl(.pingResponse(timestamp: 1234)).message]))
    }

    @Test func acknowledgementsFollowThePeerWindow() throws {
        var session = RTMPServerSession(now: Self.start)
        let early = session.bytesReceived(10_000, now: Self.start)
        #expect(early == nil, "no window announced yet")
        _ = try session.receive(RTMPControlMessage.windowAcknowledgementSize(5000).message)
        let first = session.bytesReceived(1, now: Self.start)
        #expect(try first.map { try RTMPControlMessage($0) } == .acknowledgement(sequenceNumber: 10_001))
        let none = session.bytesReceived(4999, now: Self.start)
        #expect(none == nil)
        let second = session.bytesReceived(1, now: Self.start)
        #expect(try second.map { try RTMPControlMessage($0) } == .acknowledgement(sequenceNumber: 15_001))
    }

    @Test func idleTimeoutUsesInjectedTime() {
        var configuration = RTMPServerSession.Configuration()
        configuration.idleTimeout = .seconds(30)
        var session = RTMPServerSession(configuration: configuration, now: Self.start)
        #expect(!session.isIdle(now: Self.start + .seconds(29)))
        #expect(session.isIdle(now: Self.start + .seconds(30)))
        _ = session.bytesReceived(1, now: Self.start + .seconds(29))
        #expect(!session.isIdle(now: Self.start + .seconds(58)))
        #expect(session.idleDeadline == Self.start + .seconds(59))
    }
}
