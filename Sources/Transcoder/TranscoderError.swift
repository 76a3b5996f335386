/// Every failure the Transcoder module reports. Ladder validation errors name the rung and the
/// offending value, so one line in a log or an API answer tells the operator what to fix.
public enum TranscoderError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A rung name outside `[a-z0-9_-]{1,32}` (it becomes a path component of the playback URLs).
    case invalidRungName(String)
    /// `source` and `audio` name the renditions Antenne adds itself.
    case reservedRungName(String)
    /// Two rungs with the same name.
    case duplicateRungName(String)
    /// More rungs than ``Ladder/maximumRungCount``.
    case tooManyRungs(count: Int, limit: Int)
    /// No rung and no source rendition: viewers would get nothing.
    case emptyLadder
    /// A width or height that is odd or outside ``LadderRung/dimensionRange``.
    case invalidDimensions(rung: String, width: Int, height: Int)
    /// A bitrate field (`videoBitrate`, `maxrate`, `bufsize`, `audio.bitrate`) that is not positive.
    case invalidBitrate(rung: String, field: String, value: Int)
    /// `maxrate` below `videoBitrate`: the encoder could never reach its target.
    case maxrateBelowBitrate(rung: String, videoBitrate: Int, maxrate: Int)
    /// A maximum frame rate that is not a positive number of frames per second.
    case invalidFrameRate(rung: String)
    /// A preset, profile or tune the rung's encoder does not know (or, for profiles, one that
    /// needs more than 8-bit 4:2:0, which is what the transcoder produces).
    case unsupportedEncoderOption(rung: String, option: String, value: String, allowed: [String])
    /// An audio channel count outside ``AudioEncoding/channelRange``.
    case invalidChannelCount(Int)
    /// A watermark path that is empty, or holds a newline or NUL byte.
    case invalidWatermarkPath(String)
    /// FFmpeg could not be started.
    case launchFailed(String)
    /// The thumbnail FFmpeg failed or wrote nothing usable.
    case thumbnailFailed(status: Int32, message: String)
    /// The source's codecs cannot be fed to FFmpeg (the channel stays passthrough).
    case unsupportedSource(String)

    public var description: String {
        switch self {
        case .invalidRungName(let name):
            return "invalid rendition name \"\(name)\": use 1 to 32 of a-z, 0-9, '_' and '-'"
        case .reservedRungName(let name):
            return "rendition name \"\(name)\" is reserved"
        case .duplicateRungName(let name):
            return "rendition name \"\(name)\" is used twice"
        case .tooManyRungs(let count, let limit):
            return "\(count) rungs exceed the limit of \(limit)"
        case .emptyLadder:
            return "the ladder has no rung and does not include the source"
        case .invalidDimensions(let rung, let width, let height):
            return "rung \"\(rung)\": size \(width)x\(height) must be even and within "
                + "\(LadderRung.dimensionRange.lowerBound)...\(LadderRung.dimensionRange.upperBound)"
        case .invalidBitrate(let rung, let field, let value):
            return "rung \"\(rung)\": \(field) \(value) must be positive"
        case .maxrateBelowBitrate(let rung, let videoBitrate, let maxrate):
            return "rung \"\(rung)\": maxrate \(maxrate) is below videoBitrate \(videoBitrate)"
        case .invalidFrameRate(let rung):
            return "rung \"\(rung)\": maxFrameRate must be a positive number of frames per second"
        case .unsupportedEncoderOption(let rung, let option, let value, let allowed):
            return "rung \"\(rung)\": \(option) \"\(value)\" is not one of \(allowed.joined(separator: ", "))"
        case .invalidChannelCount(let count):
            return "audio channel count \(count) is outside "
                + "\(AudioEncoding.channelRange.lowerBound)...\(AudioEncoding.channelRange.upperBound)"
        case .invalidWatermarkPath(let path):
            return "invalid watermark path \"\(path)\""
        case .launchFailed(let reason):
            return "FFmpeg could not be started: \(reason)"
        case .thumbnailFailed(let status, let message):
            return "FFmpeg could not render a thumbnail (exit status \(status)): \(message)"
        case .unsupportedSource(let reason):
            return "this source cannot be transcoded: \(reason)"
        }
    }
}
