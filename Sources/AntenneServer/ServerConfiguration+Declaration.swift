import Archive
import Channels
import Control
import Foundation
import Transcoder

extension ServerConfiguration.Channel {
    /// The channel as the control plane holds it: its ladder as stored, archived by `retention`
    /// (the server's policy for the channels it declares).
    func declaration(retention: RetentionPolicy) throws -> DeclaredChannel {
        DeclaredChannel(
            name: name, streamKey: streamKey, backupStreamKey: backupStreamKey, slateStreamKey: slate?.streamKey, ladder: try ChannelSpec.storedLadder(ladder),
            archive: ArchiveSettings(
                enabled: archived,
                // Whole seconds, rounded up: a policy never deletes more than it says.
                retentionSeconds: retention.maximumAge.map { Int(($0 + 999) / 1_000) },
                retentionBytes: retention.maximumBytes),
            visibility: visibility == .token ? .token : .public,
            encryption: encryption.map {
                EncryptionSettings(
                    enabled: true, rotationSegments: $0.rotationSegments, keyServer: $0.keyServer,
                    scheme: EncryptionScheme(rawValue: $0.scheme.rawValue) ?? .aes128)
            }
                ?? .disabled,
            p2p: p2p, slate: slate.map(Self.declaration))
    }

    /// A configured slate as the control plane holds it: paths absolute (the configuration's
    /// `./` paths are the server's working directory's), which only the configuration may give.
    static func declaration(_ slate: Slate) -> ChannelSlate {
        let timeout = slate.timeout.map { Int($0.components.seconds) }
        return switch slate.source {
        case .card: ChannelSlate(source: .card, timeoutSeconds: timeout)
        case .image(let path): ChannelSlate(source: .image, path: URL(fileURLWithPath: path).standardizedFileURL.path, timeoutSeconds: timeout)
        case .video(let path): ChannelSlate(source: .video, path: URL(fileURLWithPath: path).standardizedFileURL.path, timeoutSeconds: timeout)
        }
    }
}
