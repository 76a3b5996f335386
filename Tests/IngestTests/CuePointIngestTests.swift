import Hub
import NIOCore
import RTMP
import Testing
@testable import Ingest

/// An `onCuePoint` data message on a real RTMP connection reaches the publish's sink with its
/// timestamp; one before the publish is accepted is not delivered.
@Suite struct CuePointIngestTests {
    static let cue: AMF0Value = .object([
        AMF0Property("name", .string("scte35")), AMF0Property("time", .number(4)), AMF0Property("type", .string("event")),
        AMF0Property("parameters", .object([AMF0Property("cue", .string("/DARAAA="))])),
    ])

    static func cueMessage(timestamp: UInt32) -> RTMPMessage {
        var payload = ByteBuffer()
        payload.writeAMF0([.string("onCuePoint"), cue])
        return RTMPMessage(chunkStreamID: 4, typeID: .amf0Data, timestamp: timestamp, messageStreamID: 1, payload: payload)
    }

    @Test func aCuePointOfThePublishReachesItsSink() async throws {
        try await withIngest { ingest in
            let connection = try await rawConnection(port: ingest.port, group: ingest.group)
            var encoder = RTMPChunkEncoder()
            var out = handshakeBytes()
            let connect = RTMPCommand(name: "connect", transactionID: 1, commandObject: .object([
                AMF0Property("app", .string("live")), AMF0Property("tcUrl", .string("rtmp://127.0.0.1/live")),
            ]))
            encoder.encode(connect.message(), into: &out)
            encoder.encode(RTMPCommand(name: "createStream", transactionID: 2).message(), into: &out)
            // Before the publish: dropped.
            encoder.encode(Self.cueMessage(timestamp: 1), into: &out)
            let publish = RTMPCommand(name: "publish", transactionID: 3, arguments: [.string("s3cr3t-k3y-A"), .string("live")])
            encoder.encode(publish.message(chunkStreamID: RTMPChunkStreamID.streamCommand, messageStreamID: 1), into: &out)
            try await connection.writeAndFlush(out)
            #expect(try await eventually { !ingest.sinks.all.isEmpty })
            var data = ByteBuffer()
            encoder.encode(Self.cueMessage(timestamp: 4_000), into: &data)
            try await connection.writeAndFlush(data)
            let sink = try #require(ingest.sinks.all.first)
            #expect(try await eventually { !sink.snapshot.cuePoints.isEmpty })
            let received = sink.snapshot.cuePoints
            #expect(received.count == 1)
            #expect(received.first?.value == Self.cue)
            #expect(received.first?.timestamp == 4_000)
            try await connection.close()
        }
    }
}
