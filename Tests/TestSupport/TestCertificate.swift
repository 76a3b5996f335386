import Foundation
import NIOSSL

/// A self-signed certificate for `localhost` and `127.0.0.1` with its key, made at test time by the
/// `openssl` command line in a new temporary directory.
public struct TestCertificate: Sendable {
    public let certificatePath: String
    public let keyPath: String

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Makes a new pair (a P-256 key); `name` is its common name, so two pairs can be told apart.
    public static func make(name: String = "antenne-test") throws -> TestCertificate {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pair = TestCertificate(
            certificatePath: directory.appendingPathComponent("cert.pem").path, keyPath: directory.appendingPathComponent("key.pem").path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=\(name)", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", pair.keyPath, "-out", pair.certificatePath,
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "openssl req failed: \(String(decoding: message, as: UTF8.self))")
        }
        return pair
    }

    /// The certificate, to trust it in a client.
    public func certificate() throws -> [NIOSSLCertificate] {
        try NIOSSLCertificate.fromPEMFile(certificatePath)
    }

    /// A client configuration that trusts this certificate only (with hostname checks: it names
    /// `localhost` and `127.0.0.1`).
    public func clientConfiguration(applicationProtocols: [String] = []) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try certificate())
        configuration.applicationProtocols = applicationProtocols
        return configuration
    }

    /// Puts this pair's files in place of `other`'s (as an operator renewing a certificate does).
    public func install(over other: TestCertificate) throws {
        for (from, to) in [(certificatePath, other.certificatePath), (keyPath, other.keyPath)] {
            try Data(contentsOf: URL(fileURLWithPath: from)).write(to: URL(fileURLWithPath: to), options: .atomic)
        }
    }
}
