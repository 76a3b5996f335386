import Foundation
import Testing
@testable import AntenneServer

/// `--srt-port` and the configuration file's SRT keys: the port, the server's latency, and each
/// channel's passphrase and latency.
@Suite struct SRTConfigurationTests {
    func write(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-srt-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theDefaultsAreTheContracts() throws {
        let config = try ServeCommand.parse([]).makeConfiguration()
        #expect(config.srtPort == 9000)
        #expect(config.srtLatency == .milliseconds(120))
    }

    @Test func theFileSetsPortLatencyAndEachChannelsOptionsAndTheFlagWins() throws {
        let path = try write("""
            { "srtPort": 9100, "srtLatency": 0.25,
              "channels": [
                { "name": "secure", "streamKey": "s3cret-key-1", "srtPassphrase": "a-passphrase-1", "srtLatency": "0.8" },
                { "name": "plain", "streamKey": "s3cret-key-2" }
              ] }
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try ServeCommand.parse(["--config", path]).makeConfiguration()
        #expect(fromFile.srtPort == 9100)
        #expect(fromFile.srtLatency == .milliseconds(250))
        #expect(fromFile.channels[0].srt.passphrase == "a-passphrase-1")
        #expect(fromFile.channels[0].srt.latencyMilliseconds == 800)
        #expect(fromFile.channels[1].srt.passphrase == nil && fromFile.channels[1].srt.latencyMilliseconds == nil)
        #expect(try ServeCommand.parse(["--config", path, "--srt-port", "9200"]).makeConfiguration().srtPort == 9200)
    }

    @Test(arguments: ["short", String(repeating: "p", count: 80)])
    func aPassphraseOutsideSRTsLengthsIsRefused(passphrase: String) throws {
        let path = try write(#"{ "channels": [ { "name": "a", "streamKey": "s3cret-key-1", "srtPassphrase": "\#(passphrase)" } ] }"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try ServeCommand.parse(["--config", path]).makeConfiguration() } throws: { error in
            "\(error)".contains("srtPassphrase of channel 'a'") && !"\(error)".contains(passphrase)
        }
    }

    @Test func aLatencyOverAMinuteIsRefused() throws {
        let path = try write(#"{ "srtLatency": 61 }"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try ServeCommand.parse(["--config", path]).makeConfiguration() } throws: { error in
            "\(error)".contains("srtLatency")
        }
    }
}
