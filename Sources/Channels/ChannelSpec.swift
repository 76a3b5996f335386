import Control
import Delivery
import Foundation
import Logging
import Transcoder

/// How the runtime runs one channel: the control plane's channel, with what only this server
/// knows (the overlays it burns in, whose watermark is a file of its own).
public struct ChannelSpec: Sendable, Hashable {
    public var id: UUID
    public var name: String
    public var ladder: Ladder
    public var overlays: Overlays
    public var visibility: ChannelVisibility
    public var archived: Bool
    /// How playback encrypts its media; nil: clear.
    public var encryption: ContentEncryption?
    /// Peer-assisted delivery: whether the tracker takes this channel's viewers.
    public var p2p: Bool

    init(_ channel: Control.Channel, overlays: Overlays, logger: Logger) {
        id = channel.id
        name = channel.name
        ladder = Self.ladder(channel.ladder, channel: channel.name, logger: logger)
        self.overlays = overlays
        visibility = ChannelVisibility(channel.visibility)
        archived = channel.archive.enabled
        encryption = ContentEncryption(channel.encryption)
        p2p = channel.p2p
    }

    /// A channel's ladder as stored: a preset name or a ladder's JSON. Anything else is served
    /// as passthrough, with one log line.
    static func ladder(_ text: String, channel: String, logger: Logger) -> Ladder {
        if let preset = LadderPreset(rawValue: text) { return preset.ladder }
        do {
            let ladder = try JSONDecoder().decode(Ladder.self, from: Data(text.utf8))
            try ladder.validate()
            return ladder
        } catch {
            logger.warning("channel \(channel): its ladder is not usable (\(error)); serving passthrough")
            return LadderPreset.passthrough.ladder
        }
    }

    /// How the control plane stores `ladder`: a preset's name, or the ladder's JSON.
    public static func storedLadder(_ ladder: Ladder) throws -> String {
        if let preset = LadderPreset.allCases.first(where: { $0.ladder == ladder }) { return preset.rawValue }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(ladder), as: UTF8.self)
    }
}
