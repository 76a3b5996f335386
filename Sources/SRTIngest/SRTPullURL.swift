/// Where a channel pulls its primary input from: an encoder that listens for SRT callers, as
/// `srt://HOST:PORT?streamid=…&passphrase=…&latency=…`.
///
/// The options are the SRT URI options of libsrt's own tools (srt-live-transmit, docs/apps
/// "SRT URI"), which hardware encoders and OBS follow: `latency` in milliseconds (ffmpeg's
/// microseconds are its own), `mode` only `caller` (the server calls; the encoder listens). Values
/// are percent-decoded (RFC 3986 §2.1), so a stream id may carry `#!::`, `&` or `=` as `%23`,
/// `%26`, `%3D`. Any other option is refused, so that a typo is not silently ignored.
///
/// The host is an IPv4 or IPv6 address literal (`[::1]`): the pull runs on the SRT listener's one
/// thread, which must not wait on a name server. The passphrase is a secret: ``description``
/// shows neither it nor the stream id.
public struct SRTPullURL: Sendable, Hashable, CustomStringConvertible {
    /// The address literal, IPv6 without its brackets.
    public var host: String
    public var port: Int
    /// `SRTO_STREAMID`, what a listening encoder may ask for; nil sends none.
    public var streamID: String?
    /// `SRTO_PASSPHRASE` (AES); nil: no encryption. Secret: never logged.
    public var passphrase: String?
    /// `SRTO_RCVLATENCY`, in milliseconds; nil takes the server's SRT latency.
    public var latencyMilliseconds: Int?

    public init(host: String, port: Int, streamID: String? = nil, passphrase: String? = nil, latencyMilliseconds: Int? = nil) {
        self.host = host
        self.port = port
        self.streamID = streamID
        self.passphrase = passphrase
        self.latencyMilliseconds = latencyMilliseconds
    }

    /// The longest URL taken: a stream id of SRT's 512 bytes, every byte percent-encoded (1,536),
    /// with the passphrase (79 bytes, up to 237 encoded), an IPv6 literal, a port and the option
    /// names fit in 2 KiB.
    public static let maximumLength = 2_048

    /// Why a pull URL is refused. None carries the URL's text (it may hold a passphrase).
    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        case tooLong(bytes: Int)
        /// Not `srt://HOST:PORT…`.
        case notSRT
        /// The host is not an IPv4 or IPv6 address literal.
        case badHost
        case badPort
        /// An option given twice, empty, badly percent-encoded, or with a value out of its range.
        case badOption(String)
        /// An option this server does not take.
        case unknownOption
        /// `mode` other than `caller`.
        case notCaller

        public var description: String {
            switch self {
            case .tooLong(let bytes): "SRT pull URL of \(bytes) bytes, over \(SRTPullURL.maximumLength)"
            case .notSRT: "an SRT pull URL is srt://HOST:PORT?streamid=…&passphrase=…&latency=…"
            case .badHost: "an SRT pull URL's host must be an IPv4 or IPv6 address ([::1] for IPv6), not a name"
            case .badPort: "an SRT pull URL's port must be 1 to 65535"
            case .badOption("streamid"): "the streamid of an SRT pull URL must be 1 to \(SRTStreamID.maximumLength) bytes, without control characters"
            case .badOption("passphrase"): "the passphrase of an SRT pull URL must be 10 to 79 characters (SRT's limit)"
            case .badOption("latency"): "the latency of an SRT pull URL is in milliseconds, 0 to 60000"
            case .badOption(let name): "the SRT pull URL option \(name) is given twice, empty or badly encoded"
            case .unknownOption: "an SRT pull URL takes the options streamid, passphrase, latency and mode=caller only"
            case .notCaller: "an SRT pull URL's mode can only be caller: the server calls an encoder that listens"
            }
        }
    }

    static let scheme = "srt://"
    static let options: Set<String> = ["streamid", "passphrase", "latency", "mode"]

    public init(parsing text: String) throws(Refusal) {
        guard text.utf8.count <= Self.maximumLength else { throw .tooLong(bytes: text.utf8.count) }
        guard text.lowercased().hasPrefix(Self.scheme) else { throw .notSRT }
        let rest = text.dropFirst(Self.scheme.count)
        let authority = rest.prefix { $0 != "?" && $0 != "/" }
        var query = rest.dropFirst(authority.count)
        if query.hasPrefix("/") { query = query.dropFirst() }  // srt://host:port/?…
        guard query.isEmpty || query.hasPrefix("?") else { throw .notSRT }
        let (host, port) = try Self.hostAndPort(authority)
        self.host = host
        self.port = port
        var seen: [String: String] = [:]
        for pair in query.dropFirst().split(separator: "&") {
            guard let equals = pair.firstIndex(of: "=") else {
                throw Self.options.contains(pair.lowercased()) ? Refusal.badOption(pair.lowercased()) : Refusal.unknownOption
            }
            let name = String(pair[..<equals]).lowercased()
            guard Self.options.contains(name) else { throw .unknownOption }
            guard seen[name] == nil, let value = Self.percentDecoded(pair[pair.index(after: equals)...]), !value.isEmpty else {
                throw .badOption(name)
            }
            seen[name] = value
        }
        if let mode = seen["mode"], mode != "caller" { throw .notCaller }
        if let id = seen["streamid"] {
            guard id.utf8.count <= SRTStreamID.maximumLength, id.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) else {
                throw .badOption("streamid")
            }
            streamID = id
        }
        if let passphrase = seen["passphrase"] {
            guard SRTChannelOptions.passphraseLength.contains(passphrase.utf8.count) else { throw .badOption("passphrase") }
            self.passphrase = passphrase
        }
        if let latency = seen["latency"] {
            guard latency.count <= 5, latency.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(latency),
                SRTChannelOptions.latencyRange.contains(value)
            else { throw .badOption("latency") }
            latencyMilliseconds = value
        }
    }

    /// `HOST:PORT`, the host an address literal (IPv6 in brackets).
    private static func hostAndPort(_ authority: Substring) throws(Refusal) -> (String, Int) {
        guard let colon = authority.lastIndex(of: ":") else { throw .badPort }
        var host = authority[..<colon]
        let portText = authority[authority.index(after: colon)...]
        guard !portText.isEmpty, portText.count <= 5, portText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let port = Int(portText), (1...65_535).contains(port)
        else { throw .badPort }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = host.dropFirst().dropLast()
            guard host.contains(":") else { throw .badHost }
        } else if host.contains(":") {
            throw .badHost  // IPv6 without brackets: its port cannot be told apart
        }
        let literal = String(host)
        guard SRTSocketAddress.withSockaddr(host: literal, port: port, { _, _ in () }) != nil else { throw .badHost }
        return (literal, port)
    }

    /// RFC 3986 §2.1 percent-decoding; nil for a malformed escape or bytes that are not UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `srt://HOST:PORT`: neither the stream id nor the passphrase.
    public var description: String {
        host.contains(":") ? "srt://[\(host)]:\(port)" : "srt://\(host):\(port)"
    }

    /// `HOST:PORT` as the listener names its peers.
    var address: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
