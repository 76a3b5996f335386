import Foundation
import Testing
import Transcoder
@testable import AntenneServer

/// `antenne serve --config FILE`: channels and custom ladders from JSON; flags win (issue 3: a
/// custom ladder from the config file).
@Suite struct ConfigFileTests {
    func write(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-config-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func channelsAndCustomLaddersComeFromTheFile() throws {
        let path = try write("""
            {
              "httpPort": 9090, "segmentDuration": 4, "partDuration": "1", "window": 120,
              "ladders": { "tv": { "includeSource": true, "audio": { "bitrate": "96k" },
                "rungs": [ { "name": "720p", "width": 1280, "height": 720, "videoBitrate": "3M" } ] } },
              "channels": [
                { "name": "talks", "streamKey": "s3cret-key-1", "ladder": "conference", "overlays": { "clock": true } },
                { "name": "tv1", "streamKey": "s3cret-key-2", "ladder": "tv" }
              ]
            }
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let command = try ServeCommand.parse(["--config", path, "--http-port", "9191", "--channel", "extra:s3cret-key-3", "--ladder", "tv"])
        let config = try command.makeConfiguration()
        #expect(config.httpPort == 9191, "a flag overrides the file")
        #expect(config.packager.segmentTarget.milliseconds == 4_000)
        #expect(config.packager.partTarget.milliseconds == 1_000)
        #expect(config.channels.map(\.name) == ["talks", "tv1", "extra"])
        #expect(config.channels[0].ladder == LadderPreset.conference.ladder)
        #expect(config.channels[0].overlays.clock)
        #expect(config.channels[1].ladder.rungs.map(\.name) == ["720p"])
        #expect(config.channels[1].ladder.rungs.first?.videoBitrate == 3_000_000)
        #expect(config.channels[1].ladder.audio?.bitrate == 96_000)
        #expect(config.channels[2].ladder == config.channels[1].ladder, "--ladder names a ladder of the file")
    }

    @Test func mistakesAreReportedWithTheirPlace() throws {
        let unknown = try write(#"{ "channels": [ { "name": "a", "streamKey": "s3cret-key-1", "ladder": "nope" } ] }"#)
        defer { try? FileManager.default.removeItem(atPath: unknown) }
        #expect { try ServeCommand.parse(["--config", unknown]).makeConfiguration() } throws: { error in
            "\(error)".contains("unknown ladder 'nope'")
        }
        let badRung = try write(#"{ "ladders": { "x": { "rungs": [ { "name": "720p", "width": 1281, "height": 720, "videoBitrate": "1M" } ] } }, "channels": [ { "name": "a", "streamKey": "s3cret-key-1", "ladder": "x" } ] }"#)
        defer { try? FileManager.default.removeItem(atPath: badRung) }
        #expect { try ServeCommand.parse(["--config", badRung]).makeConfiguration() } throws: { error in
            "\(error)".contains("channel 'a'") && "\(error)".contains("1281x720")
        }
        let malformed = try write(#"{ "channels": [ { "name": "a" } ] }"#)
        defer { try? FileManager.default.removeItem(atPath: malformed) }
        #expect { try ServeCommand.parse(["--config", malformed]).makeConfiguration() } throws: { error in
            "\(error)".contains("streamKey")
        }
    }

    /// The low-latency setting is a part target of 0.2 s; part targets outside 0.1 to 2 s are refused.
    @Test func partDurationIsKeptWithinItsLimits() throws {
        let low = try ServeCommand.parse(["--part-duration", "0.2"]).makeConfiguration()
        #expect(low.packager.partTarget.milliseconds == 200)
        #expect(try ServeCommand.parse([]).makeConfiguration().packager.partTarget.milliseconds == 500)
        for refused in ["0.05", "0.099", "2.5"] {
            #expect { try ServeCommand.parse(["--part-duration", refused, "--segment-duration", "4"]).makeConfiguration() } throws: { error in
                "\(error)".contains("0.1 to 2 seconds")
            }
        }
    }
}
