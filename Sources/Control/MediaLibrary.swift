import Foundation

/// The directory file playout reads from (`--media-dir`): a file is named by its path inside it,
/// and a path that leaves it (`..`, an absolute path, a symbolic link pointing out) is refused.
public struct MediaLibrary: Sendable, Hashable {
    /// The directory, as configured.
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// The real path of `relative` inside the directory: a readable file, which must not leave it.
    public func resolve(_ relative: String, field: String = "path") throws(ControlError) -> String {
        try Self.checkRelative(relative, field: field)
        let root = URL(fileURLWithPath: self.root).resolvingSymlinksInPath().standardizedFileURL.path
        let file = URL(fileURLWithPath: root).appendingPathComponent(relative).resolvingSymlinksInPath().standardizedFileURL.path
        guard file.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            throw .invalid(field: field, reason: "leaves the media directory")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue,
              FileManager.default.isReadableFile(atPath: file) else {
            throw .invalid(field: field, reason: "no readable file of the media directory")
        }
        return file
    }

    /// A path relative to the directory, without '..' or control characters, of
    /// ``ControlLimits/schedulePathLength`` bytes.
    static func checkRelative(_ relative: String, field: String) throws(ControlError) {
        guard ControlLimits.schedulePathLength.contains(relative.utf8.count) else {
            throw .invalid(field: field, reason: "must be \(ControlLimits.schedulePathLength) bytes")
        }
        guard !relative.hasPrefix("/"), !relative.split(separator: "/").contains("..") else {
            throw .invalid(field: field, reason: "must be a path inside the media directory, without '..'")
        }
        guard relative.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw .invalid(field: field, reason: "must not hold control characters")
        }
    }
}
