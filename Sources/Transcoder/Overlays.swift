/// Pictures burnt into every transcoded rung of a channel. They are drawn once on the decoded
/// source, before it is split and scaled, so they scale with each rung and cost one pass whatever
/// the rung count. The untouched `source` rendition carries no overlay.
public struct Overlays: Sendable, Hashable, Codable {
    /// A UTC wall clock (`HH:MM:SS UTC`) in the top-left corner on a semi-transparent band. A
    /// viewer compares it with their own clock to see the end-to-end delay; it is UTC so that
    /// viewers in every time zone read the same thing.
    public var clock: Bool
    /// Path of a PNG (with or without alpha) drawn in the bottom-right corner at 1/12 of the
    /// picture height. It is opened by FFmpeg as a second input, so the path never enters the
    /// filter graph and needs no escaping.
    public var watermark: String?

    public init(clock: Bool = false, watermark: String? = nil) {
        self.clock = clock
        self.watermark = watermark
    }

    /// True when there is nothing to draw.
    public var isEmpty: Bool { !clock && watermark == nil }

    /// Rejects a watermark path that is empty or holds a NUL byte or a line break (a process
    /// argument cannot hold NUL, and a line break would only be a mistake in the configuration).
    public func validate() throws(TranscoderError) {
        if let watermark, watermark.isEmpty || watermark.utf8.contains(where: { $0 == 0 || $0 == 0x0A || $0 == 0x0D }) {
            throw .invalidWatermarkPath(watermark)
        }
    }
}
