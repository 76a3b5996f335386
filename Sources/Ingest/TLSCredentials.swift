import Foundation
import NIOConcurrencyHelpers
import NIOSSL

/// The certificate chain and private key of the TLS listeners (RTMPS, HTTPS), read from PEM files.
///
/// ``reload()`` reads the files again (the server calls it on SIGHUP): every handshake from then
/// on presents the new pair, and connections already open keep theirs. A pair that cannot be read,
/// or whose key does not match its certificate, is refused and the current one stays.
///
/// Each listener builds its context once from ``serverConfiguration``; the pair of each handshake
/// is taken from here when the client hello has been read (`sslContextCallback`, which the server
/// side of TLS calls for every handshake, with or without SNI).
public final class TLSCredentials: Sendable {
    public let certificatePath: String
    public let keyPath: String
    private let current: NIOLockedValueBox<Pair>

    /// A PEM certificate chain or key is a few kilobytes (a leaf and one or two intermediates);
    /// 1 MiB is far above any real chain and still bounds what a wrong path makes the server read.
    public static let maximumFileSize = 1024 * 1024

    struct Pair: Sendable {
        var chain: [NIOSSLCertificate]
        var key: NIOSSLPrivateKey
    }

    /// Reads both files; throws ``IngestError/tlsCredentials(path:reason:)`` saying which file is
    /// wrong and why.
    public init(certificatePath: String, keyPath: String) throws(IngestError) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.current = NIOLockedValueBox(try Self.load(certificatePath: certificatePath, keyPath: keyPath))
    }

    /// Reads both files again and uses them for the handshakes that follow; on error the current
    /// pair stays.
    public func reload() throws(IngestError) {
        let pair = try Self.load(certificatePath: certificatePath, keyPath: keyPath)
        current.withLockedValue { $0 = pair }
    }

    /// A server configuration (TLS 1.2 and later) whose every handshake uses the current pair.
    public var serverConfiguration: TLSConfiguration {
        let pair = current.withLockedValue { $0 }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: pair.chain.map { .certificate($0) }, privateKey: .privateKey(pair.key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.sslContextCallback = { [current] _, promise in
            let pair = current.withLockedValue { $0 }
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = pair.chain.map { .certificate($0) }
            override.privateKey = .privateKey(pair.key)
            promise.succeed(override)
        }
        return configuration
    }

    private static func load(certificatePath: String, keyPath: String) throws(IngestError) -> Pair {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(Array(try read(certificatePath)))
        } catch let error as IngestError {
            throw error
        } catch {
            throw .tlsCredentials(path: certificatePath, reason: "not a PEM certificate chain (\(error))")
        }
        guard !chain.isEmpty else { throw .tlsCredentials(path: certificatePath, reason: "holds no PEM certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: Array(try read(keyPath)), format: .pem)
        } catch let error as IngestError {
            throw error
        } catch {
            throw .tlsCredentials(path: keyPath, reason: "not a PEM private key (\(error))")
        }
        // A context refuses a key that does not belong to the certificate.
        do {
            _ = try NIOSSLContext(configuration: .makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)))
        } catch {
            throw .tlsCredentials(path: keyPath, reason: "does not match the certificate of \(certificatePath) (\(error))")
        }
        return Pair(chain: chain, key: key)
    }

    private static func read(_ path: String) throws(IngestError) -> Data {
        let files = FileManager.default
        guard files.fileExists(atPath: path) else { throw .tlsCredentials(path: path, reason: "no such file") }
        guard files.isReadableFile(atPath: path) else { throw .tlsCredentials(path: path, reason: "not readable") }
        do {
            let size = try files.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            guard size <= maximumFileSize else {
                throw IngestError.tlsCredentials(path: path, reason: "larger than \(maximumFileSize / 1024) KiB")
            }
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as IngestError {
            throw error
        } catch {
            throw .tlsCredentials(path: path, reason: "cannot be read (\(error))")
        }
    }
}
