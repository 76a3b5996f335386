import NIOCore
import Testing
@testable import RTMP

@Suite struct HandshakeTests {
    static let serverRandom = (0..<3072).map { UInt8(truncatingIfNeeded: $0 &* 7) }

    /// A C1 built the way ffmpeg (libavformat/rtmpproto.c) and librtmp build theirs: zero time,
    /// client version 9.0.124.2, pseudo-random bytes, then the client digest.
    static func flashC1(scheme: RTMPHandshakeDigest.Scheme, seed: UInt64 = 42) -> [UInt8] {
        var state = seed
        var c1 = (0..<1536).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        c1.replaceSubrange(0..<8, with: [0, 0, 0, 0, 9, 0, 124, 2])
        RTMPHandshakeDigest.imprintClientDigest(&c1, scheme: scheme)
        return c1
    }

    /// Runs the server over C0+C1, returns S0, S1, S2.
    static func reply(to c1: [UInt8]) throws -> (machine: RTMPServerHandshake, s0: UInt8, s1: [UInt8], s2: [UInt8]) {
        var machine = RTMPServerHandshake(serverTime: 0x0102_0304, random: serverRandom)
        var input = ByteBuffer(bytes: [3] + c1)
        guard case .send(var reply) = try machine.receive(&input) else {
            Issue.record("no reply to C0+C1")
            throw RTMPError.handshakeTimeout
        }
        #expect(input.readableBytes == 0)
        #expect(reply.readableBytes == 1 + 2 * 1536)
        let s0 = reply.readInteger(as: UInt8.self)!
        return (machine, s0, reply.readBytes(length: 1536)!, reply.readBytes(length: 1536)!)
    }

    @Test func simpleHandshakeEchoesC1() throws {
        let c1 = (0..<1536).map { UInt8(truncatingIfNeeded: $0) }
        let (machine, s0, s1, s2) = try Self.reply(to: c1)
        #expect(s0 == 3)
        #expect(machine.kind == .simple)
        #expect(Array(s1[0..<4]) == [1, 2, 3, 4], "S1 carries the injected server time")
        #expect(Array(s1[4..<8]) == [0, 0, 0, 0], "a simple S1 has a zero version")
        #expect(s2 == c1)
    }

    @Test(arguments: RTMPHandshakeDigest.Scheme.allCases)
    func digestHandshake(scheme: RTMPHandshakeDigest.Scheme) throws {
        let c1 = Self.flashC1(scheme: scheme)
        let clientDigest = try #require(RTMPHandshakeDigest.validClientDigest(in: c1))
        #expect(clientDigest.scheme == scheme)

        let (machine, s0, s1, s2) = try Self.reply(to: c1)
        #expect(s0 == 3)
        #expect(machine.kind == .digest(scheme))
        #expect(Array(s1[4..<8]) != [0, 0, 0, 0])
        // What Flash Player and ffmpeg (when playing) check: the S1 server digest...
        #expect(RTMPHandshakeDigest.isValidS1(s1, scheme: scheme))
        // ...and S2's trailing HMAC keyed with HMAC(full server key, client digest).
        #expect(RTMPHandshakeDigest.isValidS2(s2, clientDigest: clientDigest.digest))
        #expect(s2 != c1)
    }

    @Test func tamperedDigestFallsBackToSimple() throws {
        var c1 = Self.flashC1(scheme: .offsetAt8)
        let offset = RTMPHandshakeDigest.digestOffset(in: c1, scheme: .offsetAt8)
        c1[offset] ^= 0xFF
        let (machine, _, _, s2) = try Self.reply(to: c1)
        #expect(machine.kind == .simple)
        #expect(s2 == c1)
    }

    /// The C0+C1 ffmpeg 5.1 actually sent to a listening socket (Vectors/ffmpeg-c0c1.bin).
    @Test func ffmpegC1CarriesADigest() throws {
        let c0c1 = try vector("ffmpeg-c0c1.bin")
        #expect(c0c1.count == 1537)
        #expect(c0c1[0] == 3)
        let c1 = Array(c0c1[1...])
        #expect(RTMPHandshakeDigest.validClientDigest(in: c1)?.scheme == .offsetAt8)
        let (machine, _, s1, _) = try Self.reply(to: c1)
        #expect(machine.kind == .digest(.offsetAt8))
        #expect(RTMPHandshakeDigest.isValidS1(s1, scheme: .offsetAt8))
    }

    @Test func byteByByteThenC2WithTrailingChunks() throws {
        var machine = RTMPServerHandshake(serverTime: 0, random: Self.serverRandom)
        var input = ByteBuffer()
        var replies = 0
        for byte in [3] + Self.flashC1(scheme: .offsetAt772) {
            input.writeInteger(byte)
            switch try machine.receive(&input) {
            case .needMoreData: break
            case .send: replies += 1
            case .complete: Issue.record("completed before C2")
            }
        }
        #expect(replies == 1)
        input.writeBytes([UInt8](repeating: 0xAB, count: 1535))
        #expect(try machine.receive(&input) == .needMoreData)
        input.writeBytes([0xAB, 0x02, 0x00])
        #expect(try machine.receive(&input) == .complete)
        #expect(machine.isComplete)
        #expect(Array(input.readableBytesView) == [0x02, 0x00], "bytes after C2 belong to the chunk stream")
    }

    @Test(arguments: [UInt8(0), 6, 8, 0x16, 0xFF])
    func rejectsOtherVersions(version: UInt8) {
        var machine = RTMPServerHandshake(serverTime: 0, random: Self.serverRandom)
        var input = ByteBuffer(bytes: [version])
        #expect(throws: RTMPError.unsupportedVersion(version)) { try machine.receive(&input) }
    }
}
