import Logging
import NIOConcurrencyHelpers

/// Collects every log line (message, metadata, error) in memory, at every level.
public final class LogCapture: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])

    public init() {}

    public var text: String { lines.withLockedValue { $0.joined(separator: "\n") } }
    /// Every line so far, oldest first.
    public var all: [String] { lines.withLockedValue { $0 } }
    public var count: Int { lines.withLockedValue { $0.count } }

    public func logger(label: String = "antenne.test") -> Logger {
        var logger = Logger(label: label) { label in Handler(label: label, capture: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ line: String) { lines.withLockedValue { $0.append(line) } }

    private struct Handler: LogHandler {
        let label: String
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            capture.append("\(event.level) \(label) \(event.message) \(fields) \(event.error.map { "\($0)" } ?? "") \(event.source) \(event.file)")
        }
    }
}
