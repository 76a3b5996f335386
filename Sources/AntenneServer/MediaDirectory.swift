import ArgumentParser
import Foundation

/// The directory file playout reads from (`--media-dir`): a file is named by its path inside it,
/// and a path that leaves it (`..`, an absolute path, a symbolic link pointing out) is refused.
enum MediaDirectory {
    /// Longest relative path accepted: Linux's PATH_MAX.
    static let maximumPathLength = 4_096

    /// The real path of `relative` inside `directory`, which must exist and be readable.
    static func resolve(_ relative: String, in directory: String) throws -> String {
        guard !relative.isEmpty, relative.utf8.count <= maximumPathLength, !relative.hasPrefix("/"),
              !relative.split(separator: "/").contains("..") else {
            throw ValidationError("a playout file is a path inside --media-dir, without '..': \(relative)")
        }
        let root = URL(fileURLWithPath: directory).resolvingSymlinksInPath().standardizedFileURL.path
        let file = URL(fileURLWithPath: root).appendingPathComponent(relative).resolvingSymlinksInPath().standardizedFileURL.path
        guard file.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            throw ValidationError("a playout file leaves --media-dir: \(relative)")
        }
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw ValidationError("a playout file cannot be read: \(relative)")
        }
        return file
    }
}
