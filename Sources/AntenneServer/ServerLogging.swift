import Logging

enum ServerLogging {
    /// Logs to standard error from `level` up (a swift-log level name; info if it is none), and
    /// returns the server's logger. Once per process.
    static func bootstrap(level: String) -> Logger {
        let level = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "antenne")
    }
}
