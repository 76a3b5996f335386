import NIOCore
import RTMP

/// Receives the media of one accepted RTMP publish session, in arrival order, on the connection's
/// event loop. The RTMP listener owns the socket; the sink turns FLV tag bodies into hub events.
public protocol MediaSink: AnyObject {
    /// `@setDataFrame`/`onMetaData` properties, flattened to the values a packager may use
    /// (width, height, framerate, videocodecid, audiocodecid, ...). Unknown or nested values are dropped.
    func metadata(_ properties: [String: MetadataValue])
    /// An RTMP audio (type 8) or video (type 9) message: the FLV tag body and its 32-bit
    /// millisecond timestamp (already made absolute from chunk deltas, extended timestamps resolved).
    /// A throw means the media is unusable; the listener logs it and closes the connection.
    func media(_ kind: FLVTagKind, timestamp: UInt32, body: ByteBuffer) throws
    /// The session ended: deleteStream, FCUnpublish, socket closed or an error. Called exactly once.
    func close()
    /// An `onCuePoint` object and its message's 32-bit millisecond timestamp. A throw means the cue
    /// is unusable; the listener logs it and the publish goes on.
    func cuePoint(_ value: AMF0Value, timestamp: UInt32) throws
}

extension MediaSink {
    /// A sink that does not mark its stream ignores cue points.
    public func cuePoint(_ value: AMF0Value, timestamp: UInt32) throws {}
}

public enum FLVTagKind: Sendable, Hashable {
    case audio
    case video
}

public enum MetadataValue: Sendable, Hashable {
    case number(Double)
    case string(String)
    case bool(Bool)
}
