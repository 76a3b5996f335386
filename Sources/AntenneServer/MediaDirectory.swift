import ArgumentParser
import Control

/// The directory file playout reads from (`--media-dir`), checked at start for `--playout`
/// (``MediaLibrary``: a path that leaves it is refused).
enum MediaDirectory {
    /// The real path of `relative` inside `directory`, which must exist and be readable.
    static func resolve(_ relative: String, in directory: String) throws -> String {
        do {
            return try MediaLibrary(root: directory).resolve(relative)
        } catch {
            throw ValidationError("a playout file must be a readable file inside --media-dir: \(relative): \(error)")
        }
    }
}
