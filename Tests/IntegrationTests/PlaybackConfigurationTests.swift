@testable import Delivery
import Foundation
import Testing
@testable import AntenneServer

/// Token channels and playback keys from flags, the environment and the configuration file
/// (control plane: playback authorisation with HMAC-signed URLs).
@Suite struct PlaybackConfigurationTests {
    static let hexA = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    static let hexB = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100"

    func write(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-config-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func visibilityAndKeysFromTheFile() throws {
        let path = try write("""
            { "channels": [ { "name": "talks", "streamKey": "s3cret-key-1", "visibility": "token" },
                            { "name": "open", "streamKey": "s3cret-key-2" } ],
              "playbackKeys": ["old:\(Self.hexA)", "new:\(Self.hexB)"] }
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try ServeCommand.parse(["--config", path]).makeConfiguration()
        #expect(config.channels.map(\.visibility) == [.token, .public])
        if ProcessInfo.processInfo.environment[PlaybackKeyOptions.environmentVariable] == nil {
            #expect(config.playbackKeys.keys.map(\.id) == ["old", "new"])
        }
        #expect(throws: Never.self) { try AntenneServer.playbackAccess(config, visibility: { _ in .public }) }
    }

    @Test func tokenChannelFlag() throws {
        let config = try ServeCommand.parse([
            "--channel", "a:s3cret-key-1", "--channel", "b:s3cret-key-2", "--token-channel", "b", "--playback-key", "k:\(Self.hexA)",
        ]).makeConfiguration()
        #expect(config.channels.map(\.visibility) == [.public, .token])
        // The generated demo channel, when no channel is declared.
        let demo = try ServeCommand.parse(["--token-channel", "demo", "--playback-key", "k:\(Self.hexA)"]).makeConfiguration()
        #expect(demo.channels.isEmpty && demo.demoVisibility == .token)

        #expect { try ServeCommand.parse(["--channel", "a:s3cret-key-1", "--token-channel", "nope", "--playback-key", "k:\(Self.hexA)"]).makeConfiguration() }
            throws: { "\($0)".contains("--token-channel nope") }
        #expect { try ServeCommand.parse(["--channel", "a:s3cret-key-1", "--playback-key", "k:abcd"]).makeConfiguration() }
            throws: { "\($0)".contains("playback key 'k'") && "\($0)".contains("32") }
    }

    /// A token channel without a key: a start-up error that says what to do (unless the
    /// environment holds a key).
    @Test func tokenChannelWithoutKey() throws {
        let command = try ServeCommand.parse(["--channel", "a:s3cret-key-1", "--token-channel", "a"])
        guard ProcessInfo.processInfo.environment[PlaybackKeyOptions.environmentVariable] == nil else { return }
        #expect { try command.makeConfiguration() } throws: { error in
            "\(error)".contains("channel 'a' needs playback tokens") && "\(error)".contains("--playback-key")
        }
    }

    /// A channel of the control plane made `token` on a server without a playback key was served
    /// to anyone, token or not (found by bench/control_plane.py): it must fail closed instead.
    @Test func controlPlaneTokenChannelWithoutKeyFailsClosed() throws {
        var config = ServerConfiguration()
        config.playbackKeys = PlaybackKeys()
        let access = try AntenneServer.playbackAccess(config, visibility: { $0 == "paid" ? .token : .public })
        #expect(access.decide(channel: "paid", token: nil, now: 1_700_000_000) == .refused(.missing))
        #expect(access.decide(channel: "paid", token: "AQJrMQRsaXZl", now: 1_700_000_000) == .refused(.invalid(.unknownKey)))
        #expect(access.decide(channel: "free", token: nil, now: 1_700_000_000) == .granted(.open))
    }

    /// Flags, else the environment, else the file.
    @Test func keyPrecedence() throws {
        let file = ["file:\(Self.hexA)"]
        let environment = [PlaybackKeyOptions.environmentVariable: "env1:\(Self.hexA), env2:\(Self.hexB)"]
        let none = try ServeCommand.parse([]).playbackKeyOptions
        #expect(try none.resolve(file: file, environment: [:]).keys.map(\.id) == ["file"])
        #expect(try none.resolve(file: file, environment: environment).keys.map(\.id) == ["env1", "env2"])
        #expect(try none.resolve(file: nil, environment: [:]).isEmpty)
        let flags = try ServeCommand.parse(["--playback-key", "flag:\(Self.hexB)"]).playbackKeyOptions
        #expect(try flags.resolve(file: file, environment: environment).keys.map(\.id) == ["flag"])
    }

    /// `antenne sign-url` signs with the newest key a URL the server accepts.
    @Test func signURL() throws {
        let now: Int64 = 1_700_000_000
        let command = try SignURLCommand.parse([
            "--channel", "talks", "--expires-in", "3600", "--session", "viewer-7", "--base", "https://tv.example/",
            "--playback-key", "old:\(Self.hexA)", "--playback-key", "new:\(Self.hexB)",
        ])
        let url = try command.signedURL(now: now, environment: [:])
        let prefix = "https://tv.example/hls/talks/master.m3u8?token="
        #expect(url.hasPrefix(prefix), "\(url)")
        let token = String(url.dropFirst(prefix.count))
        let server = try PlaybackSigner(keys: PlaybackKeys(specs: ["new:\(Self.hexB)"]))
        #expect(server.verify(token, channel: "talks", now: now + 3599) == .valid)
        #expect(server.verify(token, channel: "talks", now: now + 3600) == .expired)
        let watch = try SignURLCommand.parse(["--channel", "talks", "--expires-in", "60", "--watch", "--playback-key", "k:\(Self.hexA)"])
        #expect(try watch.signedURL(now: now, environment: [:]).hasPrefix("http://localhost:8080/watch/talks?token="))
        #expect(throws: (any Error).self) { try SignURLCommand.parse(["--channel", "talks", "--expires-in", "0", "--playback-key", "k:\(Self.hexA)"]).signedURL(now: now, environment: [:]) }
        #expect(throws: (any Error).self) { try SignURLCommand.parse(["--channel", "talks", "--expires-in", "60"]).signedURL(now: now, environment: [:]) }
        #expect(throws: (any Error).self) { try SignURLCommand.parse(["--channel", "a/b", "--expires-in", "60", "--playback-key", "k:\(Self.hexA)"]).signedURL(now: now, environment: [:]) }
    }
}
