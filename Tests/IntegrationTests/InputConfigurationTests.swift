import Foundation
import Testing
@testable import AntenneServer

/// `--backup-key`, `--input-loss-timeout`, `--input-return-after` and the configuration file's
/// `backupStreamKey`, `inputLossTimeout` and `inputReturnAfter`.
@Suite struct InputConfigurationTests {
    func write(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-inputs-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theDefaultsAreTheContracts() throws {
        let config = try ServeCommand.parse(["--channel", "a:s3cret-key-1"]).makeConfiguration()
        #expect(config.inputSwitch.lossTimeout == .seconds(1))
        #expect(config.inputSwitch.returnAfter == .seconds(5))
        #expect(config.channels[0].backupStreamKey == nil)
    }

    @Test func flagsSetTheBackupKeyAndTheTimings() throws {
        let config = try ServeCommand.parse([
            "--channel", "a:s3cret-key-1", "--backup-key", "a:s3cret-backup-1",
            "--input-loss-timeout", "0.5", "--input-return-after", "0",
        ]).makeConfiguration()
        #expect(config.channels[0].backupStreamKey == "s3cret-backup-1")
        #expect(try config.channels[0].declaration(retention: .keepEverything).backupStreamKey == "s3cret-backup-1")
        #expect(config.inputSwitch.lossTimeout == .milliseconds(500))
        #expect(config.inputSwitch.returnAfter == .zero)
    }

    @Test func theFileSetsThemAndTheFlagsWin() throws {
        let path = try write("""
            { "inputLossTimeout": 2, "inputReturnAfter": "10",
              "channels": [ { "name": "tv", "streamKey": "s3cret-key-1", "backupStreamKey": "s3cret-backup-1" } ] }
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try ServeCommand.parse(["--config", path]).makeConfiguration()
        #expect(fromFile.channels[0].backupStreamKey == "s3cret-backup-1")
        #expect(fromFile.inputSwitch == .init(lossTimeout: .seconds(2), returnAfter: .seconds(10)))
        let flagged = try ServeCommand.parse(["--config", path, "--input-loss-timeout", "3"]).makeConfiguration()
        #expect(flagged.inputSwitch.lossTimeout == .seconds(3))
    }

    @Test(arguments: [
        ["--channel", "a:s3cret-key-1", "--backup-key", "b:s3cret-backup-1"],
        ["--channel", "a:s3cret-key-1", "--backup-key", "a:s3cret-key-1"],
        ["--channel", "a:s3cret-key-1", "--channel", "b:s3cret-key-2", "--backup-key", "a:s3cret-key-2"],
        ["--channel", "a:s3cret-key-1", "--backup-key", "a:short"],
        ["--channel", "a:s3cret-key-1", "--backup-key", "no-colon"],
        ["--input-loss-timeout", "0.05"],
        ["--input-loss-timeout", "61"],
        ["--input-return-after", "3601"],
    ])
    func wrongValuesAreRefused(arguments: [String]) throws {
        #expect(throws: (any Error).self) { try ServeCommand.parse(arguments).makeConfiguration() }
    }

    @Test func aSlateIsACardOrAReadableFileWithAKeyOfItsOwn() throws {
        let image = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-slate-\(UUID().uuidString).png").path
        try Data([0x89, 0x50, 0x4e, 0x47]).write(to: URL(fileURLWithPath: image))
        defer { try? FileManager.default.removeItem(atPath: image) }
        let config = try ServeCommand.parse([
            "--channel", "a:s3cret-key-1", "--channel", "b:s3cret-key-2", "--slate", "a:card", "--slate", "b:\(image)",
            "--slate-timeout", "30",
        ]).makeConfiguration()
        #expect(config.channels[0].slate?.source == .card)
        #expect(config.channels[1].slate?.source == .image(path: image))
        #expect(config.slateTimeout == .seconds(30))
        let keys = config.channels.compactMap { $0.slate?.streamKey }
        #expect(Set(keys).count == 2 && !keys.contains("s3cret-key-1"))
        #expect(try config.channels[0].declaration(retention: .keepEverything).slateStreamKey == keys[0])
        #expect(try ServeCommand.parse(["--channel", "a:s3cret-key-1"]).makeConfiguration().slateTimeout == .seconds(600))
        let card = config.channels[0].slate!.ffmpegArguments(channel: "a", url: "rtmp://127.0.0.1:1/live/k")
        #expect(card.contains { $0.contains("drawtext=text=a:") } && card.last == "rtmp://127.0.0.1:1/live/k")
    }

    @Test(arguments: [
        ["--channel", "a:s3cret-key-1", "--slate", "a:/nonexistent/slate.mp4"],
        ["--channel", "a:s3cret-key-1", "--slate", "a:relative.png"],
        ["--channel", "a:s3cret-key-1", "--slate", "b:card"],
        ["--channel", "a:s3cret-key-1", "--slate-timeout", "0"],
    ])
    func wrongSlatesAreRefused(arguments: [String]) throws {
        #expect(throws: (any Error).self) { try ServeCommand.parse(arguments).makeConfiguration() }
    }

    @Test(.bug("media-dir-escape", "a playout path must never leave --media-dir"))
    func aPlayoutFileIsReadFromTheMediaDirectoryOnly() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-media-\(UUID().uuidString)")
        let media = root.appendingPathComponent("media")
        try FileManager.default.createDirectory(at: media.appendingPathComponent("clips"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data([0]).write(to: media.appendingPathComponent("clips/loop.mp4"))
        try Data([0]).write(to: root.appendingPathComponent("outside.mp4"))
        try FileManager.default.createSymbolicLink(at: media.appendingPathComponent("out.mp4"), withDestinationURL: root.appendingPathComponent("outside.mp4"))

        let config = try ServeCommand.parse([
            "--channel", "a:s3cret-key-1", "--media-dir", media.path, "--playout", "a:clips/loop.mp4",
        ]).makeConfiguration()
        let slate = try #require(config.channels[0].slate)
        #expect(slate.timeout == nil)
        guard case .video(let path) = slate.source else { Issue.record("not a video: \(slate.source)"); return }
        #expect(path.hasSuffix("/media/clips/loop.mp4"))
        for escape in ["../outside.mp4", root.appendingPathComponent("outside.mp4").path, "out.mp4", "clips/../../outside.mp4", "missing.mp4", ""] {
            #expect(throws: (any Error).self, "\(escape)") {
                try ServeCommand.parse(["--channel", "a:s3cret-key-1", "--media-dir", media.path, "--playout", "a:\(escape)"]).makeConfiguration()
            }
        }
        #expect(throws: (any Error).self) { try ServeCommand.parse(["--channel", "a:s3cret-key-1", "--playout", "a:clips/loop.mp4"]).makeConfiguration() }
    }
}
