import Archive
import Foundation
import Logging

/// Where the archive lives, from `--archive`: a directory (default `archive` in the data
/// directory) or an S3-compatible bucket (`s3://bucket/prefix`, with `--s3-endpoint`).
enum ArchiveLocation: Sendable, Hashable {
    case directory(URL)
    case s3(S3Configuration)

    static func parse(
        _ text: String?, dataDirectory: String, s3Endpoint: String? = nil, s3Addressing: S3Configuration.Addressing = .path,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ArchiveLocation {
        guard let text, !text.isEmpty else {
            return .directory(URL(fileURLWithPath: dataDirectory).appendingPathComponent("archive"))
        }
        if text.hasPrefix("s3://") {
            do {
                return .s3(try S3Configuration(url: text, endpoint: s3Endpoint, addressing: s3Addressing, environment: environment))
            } catch {
                throw ConfigError("--archive \(text): \(error)")
            }
        }
        return .directory(URL(fileURLWithPath: text))
    }

    func makeStore(logger: Logger) -> any ArchiveStore {
        switch self {
        case .directory(let url): DiskArchiveStore(root: url)
        case .s3(let configuration): S3ArchiveStore(configuration: configuration, logger: logger)
        }
    }
}
