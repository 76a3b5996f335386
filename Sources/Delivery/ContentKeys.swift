import Crypto
import Foundation
import Logging
import NIOConcurrencyHelpers

/// The content keys of encrypted channels (``ContentEncryption``), one per channel and key period.
///
/// - Derived: HKDF-SHA256 (RFC 5869) of the server's ``ContentKeySecret``, with the salt
///   ``salt`` and the info `channel name, 0x00, period as 8 bytes big-endian`, 16 bytes out.
///   Every origin holding the same secret derives the same keys, with no state shared.
/// - Fetched, when the channel names a key server (``ContentKeyServer``): each key is asked once
///   and kept. A server that does not answer gets one log line per key; that key is unavailable
///   (its key URL and its period's media answer 503) and asked again after ``retryAfter``, while
///   every other key and channel goes on.
public final class ContentKeys: Sendable {
    let secret: ContentKeySecret?
    let server: (any ContentKeyServer)?
    let logger: Logger
    private let fetched = NIOLockedValueBox([ID: Fetch]())

    /// Keys kept from key servers: a 60 s window of 2 s segments rotated every segment spans 31
    /// periods; 4,096 keys hold that for over a hundred channels.
    static let maximumFetchedKeys = 4_096
    /// How long a key server that failed is left alone before its key is asked again.
    static let retryAfter: Duration = .seconds(5)
    /// HKDF salt: names what the keys are for, so the secret could serve another purpose safely.
    static let salt = Array("antenne hls aes-128 content key".utf8)

    struct ID: Hashable {
        var server: String
        var channel: String
        var period: Int
    }

    private enum Fetch {
        case pending(Task<[UInt8]?, Never>)
        case ready([UInt8])
        case failed(ContinuousClock.Instant)
    }

    /// - Parameters:
    ///   - secret: derives the keys of channels without a key server; nil refuses those keys.
    ///   - server: fetches the keys of channels that name a key server.
    public init(secret: ContentKeySecret?, server: (any ContentKeyServer)? = nil, logger: Logger) {
        self.secret = secret
        self.server = server
        self.logger = logger
    }

    /// The key derived from `secret` for `channel` and `period`.
    static func derive(_ secret: ContentKeySecret, channel: String, period: Int) -> [UInt8] {
        var info = Array(channel.utf8)
        info.append(0)
        info += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(period) >> (56 - 8 * $0)) }
        let key = HKDF<SHA256>.deriveKey(inputKeyMaterial: secret.key, salt: salt, info: info, outputByteCount: 16)
        return key.withUnsafeBytes { Array($0) }
    }

    /// The key of `channel`'s `period` when it is at hand without waiting (derived, or fetched
    /// before); nil when it must be fetched or cannot be had.
    func availableKey(channel: String, period: Int, encryption: ContentEncryption) -> [UInt8]? {
        guard let keyServer = encryption.keyServer else {
            return secret.map { Self.derive($0, channel: channel, period: period) }
        }
        let id = ID(server: keyServer, channel: channel, period: period)
        return fetched.withLockedValue { keys in
            if case .ready(let key) = keys[id] { return key }
            return nil
        }
    }

    /// The key of `channel`'s `period`, fetched if need be; nil when it cannot be had now.
    func key(channel: String, period: Int, encryption: ContentEncryption) async -> [UInt8]? {
        if let key = availableKey(channel: channel, period: period, encryption: encryption) { return key }
        guard let keyServer = encryption.keyServer else { return nil }
        return await fetch(ID(server: keyServer, channel: channel, period: period))?.value
    }

    /// Starts fetching the key of `period` unless it is known or on its way, so that it is there
    /// before the first player asks for it (a playlist announces the period).
    func prefetch(channel: String, period: Int, encryption: ContentEncryption) {
        guard let keyServer = encryption.keyServer else { return }
        _ = fetch(ID(server: keyServer, channel: channel, period: period))
    }

    /// The key's fetch: the one under way, or a new one; nil while a failed server is left alone.
    private func fetch(_ id: ID) -> Task<[UInt8]?, Never>? {
        guard let server else { return nil }
        let now = ContinuousClock.now
        return fetched.withLockedValue { keys -> Task<[UInt8]?, Never>? in
            switch keys[id] {
            case .ready(let key): return Task { key }
            case .pending(let task): return task
            case .failed(let at) where now - at < Self.retryAfter: return nil
            case .failed, nil: break
            }
            if keys.count >= Self.maximumFetchedKeys {
                // The oldest periods go first: players no longer ask for them.
                let oldest = keys.keys.sorted { $0.period < $1.period }.prefix(Self.maximumFetchedKeys / 4)
                for old in oldest { keys[old] = nil }
            }
            let logger = self.logger
            let task = Task { [fetched] () -> [UInt8]? in
                do {
                    let key = try await server.key(server: id.server, channel: id.channel, period: id.period)
                    guard key.count == 16 else { throw ContentKeyFetchError.notAKey(bytes: key.count) }
                    fetched.withLockedValue { $0[id] = .ready(key) }
                    return key
                } catch {
                    logger.warning("key server did not give a key", metadata: [
                        "channel": "\(id.channel)", "period": "\(id.period)", "error": "\(error)",
                    ])
                    fetched.withLockedValue { $0[id] = .failed(ContinuousClock.now) }
                    return nil
                }
            }
            keys[id] = .pending(task)
            return task
        }
    }
}

/// A key server's answer that is not a key.
public enum ContentKeyFetchError: Error, CustomStringConvertible {
    case notAKey(bytes: Int)
    case status(Int)

    public var description: String {
        switch self {
        case .notAKey(let bytes): "the answer (\(bytes) bytes) is neither 16 raw bytes nor JSON with a 16-byte key"
        case .status(let code): "HTTP status \(code)"
        }
    }
}
