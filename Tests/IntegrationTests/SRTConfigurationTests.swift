import Foundation
import Testing
@testable import AntenneServer
import SRTIngest

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

    /// `--srt-pull NAME=URL` and a channel entry's `srtPull`: the flag wins for its channel; the
    /// channel must be declared, and the URL is within SRT's limits.
    @Test func aPullFromTheFileOrTheFlag() throws {
        let path = try write("""
            { "channels": [
                { "name": "pitch", "streamKey": "s3cret-key-1", "srtPull": "srt://192.0.2.10:9001?latency=300&passphrase=a-passphrase-1" },
                { "name": "studio", "streamKey": "s3cret-key-2" }
              ] }
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try ServeCommand.parse(["--config", path]).makeConfiguration()
        #expect(fromFile.channels[0].srtPull == SRTPullURL(host: "192.0.2.10", port: 9001, passphrase: "a-passphrase-1", latencyMilliseconds: 300))
        #expect(fromFile.channels[1].srtPull == nil)
        let flagged = try ServeCommand.parse([
            "--config", path, "--srt-pull", "pitch=srt://192.0.2.11:9002", "--srt-pull", "studio=srt://[::1]:9003?streamid=cam1",
        ]).makeConfiguration()
        #expect(flagged.channels[0].srtPull == SRTPullURL(host: "192.0.2.11", port: 9002))
        #expect(flagged.channels[1].srtPull == SRTPullURL(host: "::1", port: 9003, streamID: "cam1"))
    }

    @Test(arguments: [
        (["--srt-pull", "nowhere=srt://127.0.0.1:9001"], "names channel 'nowhere'"),
        (["--srt-pull", "srt://127.0.0.1:9001"], "--srt-pull wants NAME=URL"),
        (["--srt-pull", "a=srt://encoder.example.net:9001"], "not a name"),
        (["--srt-pull", "a=srt://127.0.0.1:9001?latency=60001"], "milliseconds, 0 to 60000"),
        (["--srt-pull", "a=srt://127.0.0.1:9001?passphrase=short-one"], "10 to 79 characters"),
        (["--srt-pull", "a=srt://127.0.0.1:9001?streamid=" + String(repeating: "s", count: 2_100)], "over 2048"),
    ])
    func aPullOutsideItsLimitsIsRefused(arguments: [String], message: String) throws {
        #expect { try ServeCommand.parse(["--channel", "a:s3cret-key-1"] + arguments).makeConfiguration() } throws: { error in
            "\(error)".contains(message) && !"\(error)".contains("short-one")
        }
    }
}
