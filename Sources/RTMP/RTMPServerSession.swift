import NIOCore

/// The server side of one RTMP NetConnection after the handshake (RTMP spec §7.2), for publishers.
///
/// A struct that consumes decoded messages and returns actions; the owner does the I/O, asks
/// whoever decides on stream keys, and reports the answer back. Time is injected (`now`) so that
/// the idle timeout is testable. Media and data before an accepted publish are dropped, never
/// buffered. Playback is not served over RTMP: `play` is refused.
public struct RTMPServerSession: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// The only application name accepted in `connect` (the contract is `rtmp://HOST/live/{key}`).
        public var application = "live"
        /// Sent as Window Acknowledgement Size (§5.4.4); 2.5 MB as FMS, nginx-rtmp and ffmpeg use.
        public var windowAcknowledgementSize: UInt32 = 2_500_000
        /// Sent as Set Peer Bandwidth, dynamic (§5.4.5); the same customary value.
        public var peerBandwidth: UInt32 = 2_500_000
        /// Our outbound chunk size, announced after connect. 4 096 is what nginx-rtmp and OBS use.
        public var outboundChunkSize: UInt32 = 4096
        /// A connection without any inbound byte for this long is closed.
        public var idleTimeout: TimeAmount = .seconds(30)
        public var amf0Limits: AMF0Limits = .default

        public init() {}
    }

    /// Which media a message carries.
    public enum MediaKind: Sendable, Hashable {
        case audio
        case video
    }

    /// Why a publish was refused.
    public enum PublishRefusal: Sendable, Hashable {
        /// The stream key is unknown.
        case unknownStreamKey
        /// Another publisher holds the channel.
        case alreadyPublishing
        /// The server is stopping; the encoder should publish elsewhere.
        case serverStopping
    }

    /// Why the session asks to close the connection.
    public enum CloseReason: Sendable, Hashable, CustomStringConvertible {
        case connectRejected(application: String)
        case publishRefused(PublishRefusal)
        case invalidPublishName
        case playRefused

        public var description: String {
            switch self {
            case .connectRejected(let app): return "connect to application \"\(app)\" rejected"
            case .publishRefused(.unknownStreamKey): return "publish refused: unknown stream key"
            case .publishRefused(.alreadyPublishing): return "publish refused: channel already publishing"
            case .publishRefused(.serverStopping): return "publish refused: the server is stopping"
            case .invalidPublishName: return "publish refused: empty or repeated publish"
            case .playRefused: return "play refused: playback is served over HTTP"
            }
        }
    }

    public enum Action: Sendable, Equatable {
        case none
        /// Write these messages.
        case send([RTMPMessage])
        /// Decide whether `streamKey` may publish, then call ``publishAccepted()`` or ``publishRefused(_:)``.
        case authorizePublish(streamKey: String)
        /// Deliver an audio or video message (an FLV tag body) of the accepted publish.
        case media(MediaKind, timestamp: UInt32, body: ByteBuffer)
        /// Deliver `onMetaData` properties (an object or ECMA array) of the accepted publish.
        case metadata(AMF0Value)
        /// Deliver an `onCuePoint` object (FLV spec E.4.4.1: name, time, type, parameters) of the
        /// accepted publish, with its message's timestamp: a cue an encoder marks (an SCTE-35 ad
        /// break, a programme).
        case cuePoint(AMF0Value, timestamp: UInt32)
        /// The publish ended (FCUnpublish, closeStream, deleteStream); write these messages.
        case endPublish([RTMPMessage])
        /// Write these messages, then close the connection.
        case close([RTMPMessage], reason: CloseReason)
    }

    enum State: Sendable, Equatable {
        case waitingForConnect
        case connected
        case authorizing(streamID: UInt32)
        case publishing(streamID: UInt32)
        case closed
    }

    public let configuration: Configuration
    var state: State = .waitingForConnect
    private var lastInbound: NIODeadline
    private var bytesReceived: UInt64 = 0
    private var bytesAcknowledged: UInt64 = 0
    /// Set by the peer's Window Acknowledgement Size; no acknowledgements before that.
    private var peerWindow: UInt64?
    var nextStreamID: UInt32 = 1

    public init(configuration: Configuration = .init(), now: NIODeadline) {
        self.configuration = configuration
        self.lastInbound = now
    }

    /// True while an accepted publish is under way.
    public var isPublishing: Bool {
        if case .publishing = state { return true }
        return false
    }

    // MARK: Bytes and time

    /// Counts inbound bytes (before decoding). Returns an Acknowledgement to send when the total
    /// crossed the peer's window since the last one (RTMP spec §5.4.3).
    public mutating func bytesReceived(_ count: Int, now: NIODeadline) -> RTMPMessage? {
        lastInbound = now
        bytesReceived += UInt64(count)
        guard let window = peerWindow, window > 0, bytesReceived - bytesAcknowledged >= window else { return nil }
        bytesAcknowledged = bytesReceived
        // The sequence number wraps at 2^32 (§5.4.3).
        return RTMPControlMessage.acknowledgement(sequenceNumber: UInt32(truncatingIfNeeded: bytesReceived)).message
    }

    /// When the connection becomes idle if nothing else arrives.
    public var idleDeadline: NIODeadline { lastInbound + configuration.idleTimeout }

    public func isIdle(now: NIODeadline) -> Bool { now >= idleDeadline }

    // MARK: Messages

    /// Handles one decoded message. A throw is a protocol violation: close the connection.
    public mutating func receive(_ message: RTMPMessage) throws(RTMPError) -> Action {
        switch message.typeID {
        case .audio, .video:
            guard case .publishing(let streamID) = state, message.messageStreamID == streamID else { return .none }
            return .media(message.typeID == .audio ? .audio : .video, timestamp: message.timestamp, body: message.payload)
        case .amf0Data, .amf3Data:
            guard case .publishing(let streamID) = state, message.messageStreamID == streamID else { return .none }
            return try receiveData(message)
        case .amf0Command, .amf3Command:
            let command = try RTMPCommand(message, limits: configuration.amf0Limits)
            return receive(command, messageStreamID: message.messageStreamID)
        default:
            guard let control = try RTMPControlMessage(message) else { return .none }
            return receive(control)
        }
    }

    private mutating func receive(_ control: RTMPControlMessage) -> Action {
        switch control {
        case .windowAcknowledgementSize(let size):
            peerWindow = UInt64(size)
            return .none
        case .userControl(.pingRequest(let timestamp)):
            return .send([RTMPControlMessage.userControl(.pingResponse(timestamp: timestamp)).message])
        case .setChunkSize, .abort, .acknowledgement, .userControl, .setPeerBandwidth:
            // Set Chunk Size and Abort are applied by the chunk parser; the rest needs no answer.
            return .none
        }
    }

    /// `@setDataFrame("onMetaData", {...})` or `onMetaData({...})` (RTMP spec §7.1.2; FLV spec E.5),
    /// and `onCuePoint({...})` in either form.
    private func receiveData(_ message: RTMPMessage) throws(RTMPError) -> Action {
        let values = try AMF0Decoder.decodeAll(RTMPCommand.amf0Body(of: message), limits: configuration.amf0Limits)
        var rest = values[...]
        if rest.first?.stringValue == "@setDataFrame" { rest = rest.dropFirst() }
        if rest.first?.stringValue == "onCuePoint", rest.count >= 2 {
            let cue = rest[rest.startIndex + 1]
            return cue.properties == nil ? .none : .cuePoint(cue, timestamp: message.timestamp)
        }
        guard rest.first?.stringValue == "onMetaData", rest.count >= 2 else { return .none }
        let properties = rest[rest.startIndex + 1]
        guard properties.properties != nil else { return .none }
        return .metadata(properties)
    }
}
