import NIOCore
import NIOTestUtils
import Testing
@testable import RTMP

/// The bytes ffmpeg 5.1 sent after C2 (Vectors/ffmpeg-after-c2.bin): its `connect` command,
/// 153 bytes split over a 128-byte chunk and a type 3 continuation.
@Suite struct FFmpegVectorTests {
    @Test func decodesFFmpegConnect() throws {
        let bytes = ByteBuffer(bytes: try vector("ffmpeg-after-c2.bin"))
        let messages = try decodeAll(bytes)
        try #require(messages.count == 1)
        let command = try RTMPCommand(messages[0])
        #expect(command.name == "connect")
        #expect(command.transactionID == 1)
        #expect(command.commandObject["app"] == .string("live"))
        #expect(command.commandObject["type"] == .string("nonprivate"))
        #expect(command.commandObject["flashVer"]?.stringValue?.hasPrefix("FMLE/3.0") == true)
        #expect(command.commandObject["tcUrl"]?.stringValue?.hasSuffix("/live") == true)

        // Re-encoding the decoded command gives ffmpeg's AMF0 bytes back.
        var reencoded = command.message()
        reencoded.chunkStreamID = messages[0].chunkStreamID
        #expect(reencoded.payload == messages[0].payload)

        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: [(bytes, messages)]) { RTMPChunkDecoder() }
    }

    @Test func ffmpegConnectIsAcceptedBySession() throws {
        let messages = try decodeAll(ByteBuffer(bytes: try vector("ffmpeg-after-c2.bin")))
        var session = RTMPServerSession(now: .uptimeNanoseconds(0))
        guard case .send(let replies) = try session.receive(messages[0]) else {
            Issue.record("connect was not answered")
            return
        }
        #expect(replies.map(\.typeID) == [.windowAcknowledgementSize, .setPeerBandwidth, .setChunkSize, .amf0Command])
    }
}
