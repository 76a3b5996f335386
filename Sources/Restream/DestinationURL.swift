import Foundation

/// Where a destination's push goes: an `rtmp://`, `rtmps://` or `srt://` URL and the stream key
/// that completes it.
///
/// The key is a secret: ``redacted`` and ``redact(_:)`` replace it (and an SRT `passphrase`) with
/// `***`, and only ``target`` (handed to FFmpeg, never logged) holds it. Where the key goes:
/// - where the URL says `{key}` (`srt://host:9000?streamid=publish:{key}`);
/// - otherwise, for RTMP and RTMPS, as the last path segment, the way YouTube and Twitch show it
///   (`rtmp://a.rtmp.youtube.com/live2` + key);
/// - otherwise, for SRT, as the `streamid`.
public struct DestinationURL: Sendable, Hashable {
    public enum Scheme: String, Sendable, Hashable, CaseIterable {
        case rtmp, rtmps, srt

        /// The container FFmpeg writes: FLV inside RTMP (Adobe RTMP specification §7), MPEG-TS
        /// inside SRT (SRT's live mode carries TS, draft-sharabayko-srt §4.5).
        var ffmpegFormat: String { self == .srt ? "mpegts" : "flv" }
    }

    /// The URL as configured, without the key.
    public let url: String
    public let scheme: Scheme
    private let streamKey: String?

    /// A URL is configuration, not media; 2 KiB is far beyond any ingest URL the platforms give
    /// (YouTube's and Twitch's are under 60 bytes) and keeps rows and log lines bounded.
    public static let maximumURLLength = 2_048
    /// Stream keys of YouTube (24 characters with dashes), Twitch (~40) and Antenne (`sk_` + 32)
    /// are far shorter; 256 bounds what is stored and put into a URL.
    public static let maximumKeyLength = 256
    /// What replaces a secret in every text shown or logged.
    public static let mask = "***"
    static let placeholder = "{key}"

    public init(_ url: String, streamKey: String?) throws(RestreamError) {
        guard url.utf8.count <= Self.maximumURLLength else {
            throw .invalidDestination("the URL is longer than \(Self.maximumURLLength) bytes")
        }
        guard !url.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .invalidDestination("the URL contains spaces or control characters")
        }
        guard let separator = url.range(of: "://"), let scheme = Scheme(rawValue: url[..<separator.lowerBound].lowercased()) else {
            throw .invalidDestination("the URL must start with rtmp://, rtmps:// or srt://")
        }
        let rest = url[separator.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != ":" }
        guard !host.isEmpty else { throw .invalidDestination("the URL has no host") }
        let key = streamKey.flatMap { $0.isEmpty ? nil : $0 }
        if let key {
            guard key.utf8.count <= Self.maximumKeyLength else {
                throw .invalidDestination("the stream key is longer than \(Self.maximumKeyLength) bytes")
            }
            guard key.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"/?#&{}".unicodeScalars.contains($0) }) else {
                throw .invalidDestination("the stream key must be printable ASCII without spaces, '/', '?', '#', '&' or braces")
            }
        } else if url.contains(Self.placeholder) {
            throw .invalidDestination("the URL has a {key} placeholder but no stream key is set")
        }
        self.url = url
        self.scheme = scheme
        self.streamKey = key
    }

    /// The URL FFmpeg pushes to, key included. Never log it.
    public var target: String { compose(key: streamKey) }

    /// The URL with the key (and an SRT passphrase) masked: what logs and the API show.
    public var redacted: String { redact(compose(key: streamKey.map { _ in Self.mask })) }

    /// `text` with every occurrence of the key and of the URL's SRT passphrase masked: for
    /// FFmpeg's messages, which quote the URL they failed on.
    public func redact(_ text: some StringProtocol) -> String {
        var result = String(text)
        for secret in secrets where !secret.isEmpty {
            result = result.replacingOccurrences(of: secret, with: Self.mask)
        }
        return result
    }

    private var secrets: [String] {
        var secrets = streamKey.map { [$0, $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0] } ?? []
        if let query = url.split(separator: "?", maxSplits: 1).dropFirst().first {
            for pair in query.split(separator: "&") where pair.lowercased().hasPrefix("passphrase=") {
                secrets.append(String(pair.dropFirst("passphrase=".count)))
            }
        }
        // Longest first, so that a secret containing another is masked whole.
        return secrets.sorted { $0.count > $1.count }
    }

    private func compose(key: String?) -> String {
        guard let key else { return url }
        if url.contains(Self.placeholder) { return url.replacingOccurrences(of: Self.placeholder, with: key) }
        switch scheme {
        case .rtmp, .rtmps:
            let (path, query) = splitQuery(url)
            return (path.hasSuffix("/") ? path : path + "/") + key + query
        case .srt:
            return url + (url.contains("?") ? "&" : "?") + "streamid=" + key
        }
    }

    private func splitQuery(_ url: String) -> (String, String) {
        guard let mark = url.firstIndex(of: "?") else { return (url, "") }
        return (String(url[..<mark]), String(url[mark...]))
    }
}
