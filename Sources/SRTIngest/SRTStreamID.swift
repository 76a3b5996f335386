/// What an SRT caller asks for in its stream id (`SRTO_STREAMID`), read before the connection is
/// accepted. Two forms publish to the channel of a stream key:
///
/// - `publish:{streamKey}`, Antenne's own (`srt://HOST:9000?streamid=publish:KEY`);
/// - the SRT Access Control form `#!::r=live/{streamKey},m=publish` (SRT Access Control guidelines,
///   "Standard Keys": comma-separated `key=value` pairs after `#!::`, in any order; `r` names the
///   resource, `m` the mode). `u` (user), `h` (host), `s` (session) and `t` (type, `stream` only)
///   are allowed and ignored; any other key is refused, as the guidelines ask.
///
/// The stream key is a secret: ``description`` never shows it.
public struct SRTStreamID: Sendable, Hashable, CustomStringConvertible {
    public var streamKey: String

    public init(streamKey: String) {
        self.streamKey = streamKey
    }

    /// Why a stream id is refused. None of them carries the stream id's text (it may hold a key).
    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        /// No stream id, or an empty one.
        case missing
        /// Longer than ``SRTStreamID/maximumLength``.
        case tooLong(bytes: Int)
        /// Neither form, or a malformed `#!::` list.
        case malformed
        /// A `#!::` key this server does not know.
        case unsupportedKey
        /// `m` is not `publish` (Antenne takes publishers only, it serves viewers over HTTP).
        case notPublish
        /// The stream key is empty or holds a byte outside printable ASCII.
        case badStreamKey

        public var description: String {
            switch self {
            case .missing: "no stream id (expected publish:{streamKey})"
            case .tooLong(let bytes): "stream id of \(bytes) bytes, over \(SRTStreamID.maximumLength)"
            case .malformed: "stream id is neither publish:{streamKey} nor #!::r=live/{streamKey},m=publish"
            case .unsupportedKey: "stream id names a #!:: key this server does not support"
            case .notPublish: "stream id asks for a mode other than publish"
            case .badStreamKey: "stream id holds an empty or non-printable stream key"
            }
        }
    }

    /// SRT's own limit on `SRTO_STREAMID`: 512 bytes (libsrt `CSrtConfig::MAX_SID_LENGTH`; the
    /// handshake's stream id extension carries at most that many).
    public static let maximumLength = 512

    static let prefix = "publish:"
    static let accessControlPrefix = "#!::"
    /// The `r` resource prefix: the same application name as RTMP's `rtmp://HOST/live/KEY`.
    static let resourcePrefix = "live/"
    /// Keys of the Access Control guidelines that may appear and are ignored.
    static let ignoredKeys: Set<Substring> = ["u", "h", "s", "t"]

    /// Parses the stream id bytes (not NUL-terminated). Checks the length before anything else.
    public init(parsing bytes: some Collection<UInt8>) throws(Refusal) {
        guard bytes.count <= Self.maximumLength else { throw .tooLong(bytes: bytes.count) }
        guard !bytes.isEmpty else { throw .missing }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .badStreamKey }
        let key: Substring
        if text.hasPrefix(Self.prefix) {
            key = text.dropFirst(Self.prefix.count)
        } else if text.hasPrefix(Self.accessControlPrefix) {
            key = try Self.accessControlKey(text.dropFirst(Self.accessControlPrefix.count))
        } else {
            throw .malformed
        }
        guard !key.isEmpty, key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .badStreamKey }
        streamKey = String(key)
    }

    /// The stream key of `r=live/{key},m=publish` (pairs in any order).
    private static func accessControlKey(_ list: Substring) throws(Refusal) -> Substring {
        var resource: Substring?
        var mode: Substring?
        for pair in list.split(separator: ",", omittingEmptySubsequences: false) {
            guard let equals = pair.firstIndex(of: "=") else { throw .malformed }
            let name = pair[..<equals]
            let value = pair[pair.index(after: equals)...]
            switch name {
            case "r":
                guard resource == nil else { throw .malformed }
                resource = value
            case "m":
                guard mode == nil else { throw .malformed }
                mode = value
            case "t":
                guard value == "stream" else { throw .unsupportedKey }
            case _ where ignoredKeys.contains(name):
                continue
            default:
                throw .unsupportedKey
            }
        }
        guard let resource, resource.hasPrefix(resourcePrefix) else { throw .malformed }
        guard mode == "publish" else { throw .notPublish }
        return resource.dropFirst(resourcePrefix.count)
    }

    public var description: String { "publish:<stream key>" }
}
