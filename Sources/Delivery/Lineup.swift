import Foundation
import NIOCore
import Packager

/// The public live channels, as `/watch` lists them and `/watch/channels.json` gives them to
/// players (the channel rail, channel change with ArrowUp and ArrowDown). `token` channels are
/// never listed: their names are not for everyone.
struct Lineup: Encodable, Sendable {
    struct Channel: Encodable, Sendable, Equatable {
        var name: String
        /// Paths relative to the server root, so that a player on several base URLs (origins,
        /// edges) resolves them against the one it uses.
        var watch: String
        var master: String
        var thumbnail: String

        init(name: String) {
            self.name = name
            watch = "watch/\(name)"
            master = "hls/\(name)/master.m3u8"
            thumbnail = "hls/\(name)/thumbnail.jpg"
        }
    }

    var channels: [Channel]

    /// Channels that are live and announced (their multivariant playlist is served), public,
    /// sorted by name.
    init(packagers: any LiveWindowDirectory, access: PlaybackAccess) {
        channels = packagers.channels
            .filter { $0.isLive && $0.isAnnounced && access.visibility($0.name) == .public }
            .map { Channel(name: $0.name) }
    }

    func json() throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ByteBuffer(bytes: try encoder.encode(self))
    }
}
