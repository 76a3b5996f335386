/// How the transcoder encodes the channel's audio: AAC-LC at a bitrate and channel count. The
/// sample rate is the source's.
///
/// JSON: `{ "bitrate": "64k", "channels": 2 }`; `bitrate` is a number of bits per second or a
/// string with a `k` or `M` suffix, `channels` defaults to 2.
public struct AudioEncoding: Sendable, Hashable {
    /// Mono up to 7.1, the channel layouts FFmpeg's AAC encoder writes.
    public static let channelRange = 1...8

    /// Bits per second, e.g. 64 000.
    public var bitrate: Int
    public var channels: Int

    public init(bitrate: Int, channels: Int = 2) {
        self.bitrate = bitrate
        self.channels = channels
    }

    public func validate() throws(TranscoderError) {
        guard bitrate > 0 else { throw .invalidBitrate(rung: "audio", field: "bitrate", value: bitrate) }
        guard Self.channelRange.contains(channels) else { throw .invalidChannelCount(channels) }
    }
}

extension AudioEncoding: Codable {
    enum CodingKeys: String, CodingKey {
        case bitrate, channels
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            bitrate: try container.decodeBitrate(forKey: .bitrate),
            channels: try container.decodeIfPresent(Int.self, forKey: .channels) ?? 2
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(BitrateNotation.format(bitrate), forKey: .bitrate)
        try container.encode(channels, forKey: .channels)
    }
}
