import ArgumentParser
import Delivery
import Foundation

/// `--content-key-secret` and `--encrypted-channel`: HLS AES-128 or `cbcs` encryption (README
/// "Encryption").
struct EncryptionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The secret content keys are derived from (32 bytes or more, hex or base64), the same on every identical origin. Default: $ANTENNE_CONTENT_KEY_SECRET, else the file's contentKeySecret.",
        valueName: "SECRET"))
    var contentKeySecret: String?

    @Option(name: .long, help: ArgumentHelp(
        "Encrypt this channel, a new key every N segments (default \(defaultRotation)), with SCHEME aes-128 (HLS, the default) or cbcs (HLS and DASH, EME); repeatable. The file's channels say \"encryption\": {\"rotationSegments\": N, \"scheme\": \"cbcs\"}.",
        valueName: "CHANNEL[:N[:SCHEME]]"))
    var encryptedChannel: [String] = []

    static let environmentVariable = "ANTENNE_CONTENT_KEY_SECRET"
    static let defaultRotation = 30

    /// The flag, else the environment, else the file's secret; `--encrypted-channel` over the
    /// file's channels.
    func apply(file: ConfigFile, to config: inout ServerConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let text = contentKeySecret ?? environment[Self.environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? file.contentKeySecret
        do {
            config.contentKeySecret = try text.map { text throws(DeliveryError) in try ContentKeySecret(text: text) }
        } catch {
            throw ValidationError("\(error)")
        }
        for spec in encryptedChannel {
            let pieces = spec.split(separator: ":", maxSplits: 2).map(String.init)
            guard let name = pieces.first, let index = config.channels.firstIndex(where: { $0.name == name }) else {
                throw ValidationError("--encrypted-channel names channel '\(spec)', which is not configured")
            }
            let rotation = pieces.count > 1 ? Int(pieces[1]) : Self.defaultRotation
            guard let rotation, ContentEncryption.rotationRange.contains(rotation) else {
                throw ValidationError("--encrypted-channel \(name): the rotation is \(ContentEncryption.rotationRange.lowerBound) to \(ContentEncryption.rotationRange.upperBound) segments")
            }
            let names = ContentEncryption.Scheme.allCases.map(\.rawValue).joined(separator: ", ")
            guard let scheme = pieces.count > 2 ? ContentEncryption.Scheme(rawValue: pieces[2]) : .aes128 else {
                throw ValidationError("--encrypted-channel \(name): the scheme is one of \(names)")
            }
            config.channels[index].encryption = ContentEncryption(rotationSegments: rotation, scheme: scheme)
        }
        // A channel encrypted without key server nor secret stops the start (`AntenneServer`).
    }
}
