/// What can go wrong running FFmpeg.
public enum TranscoderError: Error, CustomStringConvertible, Sendable {
    case launchFailed(String)
    case thumbnailFailed(status: Int32, message: String)
    case unsupportedSource(String)

    public var description: String {
        switch self {
        case .launchFailed(let reason): "FFmpeg could not be started: \(reason)"
        case .thumbnailFailed(let status, let message): "FFmpeg could not render a thumbnail (exit status \(status)): \(message)"
        case .unsupportedSource(let reason): "this source cannot be transcoded: \(reason)"
        }
    }
}
