/// A swarm: the viewers of one rendition of one channel (`/p2p/{channel}/{rendition}`). They hold
/// the same objects: that rendition's segments and parts and those of the audio rendition that
/// plays with it.
public struct SwarmKey: Hashable, Sendable, CustomStringConvertible {
    public let channel: String
    public let rendition: String

    public init(channel: String, rendition: String) {
        self.channel = channel
        self.rendition = rendition
    }

    public var description: String { "\(channel)/\(rendition)" }
}
