import NIOCore

/// The server side of the RTMP handshake (RTMP spec §5.2), as a state machine that consumes
/// bytes and returns what to do.
///
/// It reads C0 and C1 together, answers S0, S1 and S2 in one write, then waits for C2. When C1
/// carries a valid Flash Player digest (see ``RTMPHandshakeDigest``) the reply is signed the same
/// way; otherwise S1 has a zero version and S2 echoes C1 (§5.2.3, §5.2.4). C2 is read but not
/// verified: encoders disagree on its contents.
public struct RTMPServerHandshake: Sendable {
    /// The only version this server speaks (RTMP spec §5.2.2; 6 and 8 are RTMPE).
    public static let version: UInt8 = 3
    /// The version field of a digest S1 (FMS 4.5.0.1), ≥ 3 so that Flash Player looks for a digest.
    static let serverVersion: [UInt8] = [4, 5, 0, 1]

    public enum Action: Sendable, Equatable {
        /// Wait for more bytes.
        case needMoreData
        /// Write S0, S1 and S2.
        case send(ByteBuffer)
        /// The handshake is over; bytes left in the buffer belong to the chunk stream.
        case complete
    }

    /// Which handshake the client asked for.
    public enum Kind: Sendable, Hashable {
        case simple
        case digest(RTMPHandshakeDigest.Scheme)
    }

    private enum State: Sendable {
        case waitingForC0C1
        case waitingForC2
        case complete
    }

    private var state: State = .waitingForC0C1
    private let serverTime: UInt32
    private var random: [UInt8]
    /// Known once C1 has been read.
    public private(set) var kind: Kind?

    /// - Parameters:
    ///   - serverTime: the time field of S1, milliseconds on the server's epoch (injected).
    ///   - random: 3 072 bytes filling S1 and a digest S2; drawn from the system generator if nil.
    public init(serverTime: UInt32, random: [UInt8]? = nil) {
        self.serverTime = serverTime
        if let random {
            precondition(random.count == 2 * RTMPHandshakeDigest.packetLength)
            self.random = random
        } else {
            var generator = SystemRandomNumberGenerator()
            self.random = (0..<(2 * RTMPHandshakeDigest.packetLength)).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
    }

    public var isComplete: Bool {
        if case .complete = state { return true }
        return false
    }

    /// Consumes handshake bytes from `buffer`.
    public mutating func receive(_ buffer: inout ByteBuffer) throws(RTMPError) -> Action {
        let packetLength = RTMPHandshakeDigest.packetLength
        switch state {
        case .waitingForC0C1:
            guard let version = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return .needMoreData }
            guard version == Self.version else { throw .unsupportedVersion(version) }
            guard buffer.readableBytes >= 1 + packetLength else { return .needMoreData }
            buffer.moveReaderIndex(forwardBy: 1)
            let c1 = buffer.readBytes(length: packetLength)!
            state = .waitingForC2
            return .send(reply(to: c1))
        case .waitingForC2:
            guard buffer.readableBytes >= packetLength else { return .needMoreData }
            buffer.moveReaderIndex(forwardBy: packetLength)
            state = .complete
            return .complete
        case .complete:
            return .complete
        }
    }

    private mutating func reply(to c1: [UInt8]) -> ByteBuffer {
        let packetLength = RTMPHandshakeDigest.packetLength
        var s1 = Array(random[0..<packetLength])
        withUnsafeBytes(of: serverTime.bigEndian) { s1.replaceSubrange(0..<4, with: $0) }
        var s2: [UInt8]
        if let (scheme, clientDigest) = RTMPHandshakeDigest.validClientDigest(in: c1) {
            kind = .digest(scheme)
            s1.replaceSubrange(4..<8, with: Self.serverVersion)
            RTMPHandshakeDigest.imprintServerDigest(&s1, scheme: scheme)
            s2 = Array(random[packetLength...])
            RTMPHandshakeDigest.signS2(&s2, clientDigest: clientDigest)
        } else {
            kind = .simple
            s1.replaceSubrange(4..<8, with: [0, 0, 0, 0])
            s2 = c1
        }
        var out = ByteBuffer()
        out.reserveCapacity(1 + 2 * packetLength)
        out.writeInteger(Self.version)
        out.writeBytes(s1)
        out.writeBytes(s2)
        return out
    }
}
