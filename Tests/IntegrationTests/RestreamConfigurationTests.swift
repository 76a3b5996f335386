import Control
import Foundation
import Testing
@testable import AntenneServer

/// A channel's `restream` entries in the configuration file.
@Suite struct RestreamConfigurationTests {
    @Test func eachChannelsDestinationsComeFromTheFileWithTheirKeysAsSecrets() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-restream-\(UUID().uuidString).json").path
        try """
            { "channels": [
                { "name": "talks", "streamKey": "s3cret-key-1", "restream": [
                  { "url": "rtmp://a.rtmp.youtube.com/live2", "streamKey": "yt-key" },
                  { "url": "srt://10.0.0.2:9000?streamid=publish:{key}", "streamKey": "sk_relay", "rendition": "720p" } ] },
                { "name": "plain", "streamKey": "s3cret-key-2" }
              ] }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try ServeCommand.parse(["--config", path]).makeConfiguration()
        #expect(config.channels[0].restream == [
            NewChannelDestination(url: "rtmp://a.rtmp.youtube.com/live2", streamKey: Secret("yt-key")),
            NewChannelDestination(url: "srt://10.0.0.2:9000?streamid=publish:{key}", streamKey: Secret("sk_relay"), rendition: "720p"),
        ])
        #expect(config.channels[1].restream.isEmpty)
        #expect(!"\(config.channels[0])".contains("yt-key"))
    }
}
