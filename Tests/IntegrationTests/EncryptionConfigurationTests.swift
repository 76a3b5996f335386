@testable import Delivery
import Control
import Foundation
import Logging
import Testing
@testable import AntenneServer

/// Encrypted channels and the content key secret from flags, the environment and the
/// configuration file, down to the control plane's declaration.
@Suite struct EncryptionConfigurationTests {
    static let secret = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test func channelsFromTheFileAndTheFlag() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-config-\(UUID().uuidString).json").path
        try """
            { "channels": [ { "name": "tv1", "streamKey": "s3cret-key-1", "encryption": { "rotationSegments": 5 } },
                            { "name": "tv2", "streamKey": "s3cret-key-2", "encryption": { "keyServer": "https://keys.example.com/k" } },
                            { "name": "tv3", "streamKey": "s3cret-key-3" } ],
              "contentKeySecret": "\(Self.secret)" }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try ServeCommand.parse(["--config", path, "--encrypted-channel", "tv3:7"]).makeConfiguration()
        #expect(config.channels.map(\.encryption) == [
            ContentEncryption(rotationSegments: 5), ContentEncryption(rotationSegments: 30, keyServer: "https://keys.example.com/k"),
            ContentEncryption(rotationSegments: 7),
        ])
        #expect(config.contentKeySecret != nil)
        let declared = try config.channels[1].declaration(retention: config.archiveRetention)
        #expect(declared.encryption.enabled && declared.encryption.rotationSegments == 30 && declared.encryption.keyServer == "https://keys.example.com/k")
        #expect(try config.channels[2].declaration(retention: config.archiveRetention).encryption.rotationSegments == 7)
        #expect(throws: Never.self) { try AntenneServer.contentProtection(config, encryption: { _ in nil }, logger: Self.logger) }
    }

    /// The scheme: `"scheme": "cbcs"` in the file, `NAME:N:cbcs` on the command line, carried to
    /// the control plane's declaration; anything else refused.
    @Test func theSchemeFromTheFileAndTheFlag() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-config-\(UUID().uuidString).json").path
        try """
            { "channels": [ { "name": "tv1", "streamKey": "s3cret-key-1", "encryption": { "scheme": "cbcs" } },
                            { "name": "tv2", "streamKey": "s3cret-key-2" } ],
              "contentKeySecret": "\(Self.secret)" }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try ServeCommand.parse(["--config", path, "--encrypted-channel", "tv2:4:cbcs"]).makeConfiguration()
        #expect(config.channels.map(\.encryption) == [
            ContentEncryption(rotationSegments: 30, scheme: .cbcs), ContentEncryption(rotationSegments: 4, scheme: .cbcs),
        ])
        #expect(try config.channels[0].declaration(retention: config.archiveRetention).encryption.scheme == .cbcs)
        #expect { try ServeCommand.parse(["--channel", "a:s3cret-key-1", "--encrypted-channel", "a:4:cenc"]).makeConfiguration() }
            throws: { "\($0)".contains("scheme") }
    }

    @Test func badSettingsAreRefused() throws {
        #expect { try ServeCommand.parse(["--channel", "a:s3cret-key-1", "--encrypted-channel", "b"]).makeConfiguration() }
            throws: { "\($0)".contains("'b'") }
        #expect { try ServeCommand.parse(["--channel", "a:s3cret-key-1", "--encrypted-channel", "a:0"]).makeConfiguration() }
            throws: { "\($0)".contains("rotation") }
        #expect { try ServeCommand.parse(["--channel", "a:s3cret-key-1", "--content-key-secret", "abcd"]).makeConfiguration() }
            throws: { "\($0)".contains("content key secret") }
    }

    /// A configured channel encrypted with derived keys needs the secret: the start stops and says so.
    @Test func anEncryptedChannelWithoutSecretStopsTheStart() throws {
        guard ProcessInfo.processInfo.environment[EncryptionOptions.environmentVariable] == nil else { return }
        let config = try ServeCommand.parse(["--channel", "a:s3cret-key-1", "--encrypted-channel", "a"]).makeConfiguration()
        #expect { try AntenneServer.contentProtection(config, encryption: { _ in nil }, logger: Self.logger) }
            throws: { "\($0)".contains("content key secret") && "\($0)".contains("a") }
    }
}
