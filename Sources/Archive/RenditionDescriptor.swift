import Foundation
import MediaCore
import NIOCore

/// What a multivariant playlist says of a rendition, kept next to each init segment
/// (`{channel}/{rendition}/init/{id}.json`) so that catch-up and recordings can be announced
/// after the channel is gone from memory: after a restart, or while it is offline.
public struct RenditionDescriptor: Sendable, Hashable, Codable {
    public var mediaType: MediaType
    /// RFC 6381, e.g. `avc1.64001f`.
    public var codecs: String
    public var width: Int?
    public var height: Int?
    /// Frame rate as `numerator/denominator` ticks, when the stream states one.
    public var frameRateNumerator: Int64?
    public var frameRateDenominator: Int64?
    public var channels: Int?
    /// The audio's language tag (``LanguageTag``), when its input stated one; absent in older
    /// descriptors.
    public var language: String?

    public init(_ track: TrackInfo) {
        mediaType = track.mediaType
        codecs = track.codecString
        width = track.video?.width
        height = track.video?.height
        frameRateNumerator = track.video?.frameRate?.numerator
        frameRateDenominator = track.video?.frameRate?.denominator
        channels = track.audio?.channelCount
        language = track.language?.value
    }

    /// The language, when it is a valid tag: what a descriptor read back says is checked again.
    public var languageTag: LanguageTag? { language.flatMap { LanguageTag($0) } }

    public var frameRate: Rational? {
        guard let numerator = frameRateNumerator, let denominator = frameRateDenominator, numerator > 0, denominator > 0 else { return nil }
        return Rational(numerator, denominator)
    }

    /// Largest descriptor read back: a few hundred bytes are written.
    static let maximumSize = 4 * 1024

    var encoded: ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return ByteBuffer(bytes: (try? encoder.encode(self)) ?? Data())
    }

    init(decoding buffer: ByteBuffer) throws(ArchiveError) {
        guard buffer.readableBytes <= Self.maximumSize,
              let decoded = try? JSONDecoder().decode(Self.self, from: Data(buffer.readableBytesView)),
              !decoded.codecs.isEmpty, decoded.codecs.utf8.count <= 128,
              decoded.codecs.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: ",") })
        else { throw .malformed("not a rendition descriptor") }
        self = decoded
    }
}
