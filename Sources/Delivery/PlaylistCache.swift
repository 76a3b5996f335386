import NIOConcurrencyHelpers
import NIOCore
import Packager

/// The last media playlist rendered for each rendition, so that the requests that see the same
/// live window (players polling, several viewers at the live edge) share one rendering.
///
/// An entry is reused only when everything the text is made of is unchanged: the rendition's
/// window (its snapshot version), the siblings its rendition reports describe (their names and
/// versions), whether it is a delta update and whether the playlist has ended. Anything else the
/// playlist depends on is fixed for the life of a rendition (the channel's packager configuration).
final class PlaylistCache: Sendable {
    struct Key: Hashable, Sendable {
        var version: Int
        var siblings: [Sibling]
        var deltaUpdate: Bool
        var ended: Bool

        init(_ snapshot: RenditionSnapshot, siblings: [RenditionSnapshot], deltaUpdate: Bool, ended: Bool) {
            self.version = snapshot.version
            self.siblings = siblings.map { Sibling(name: $0.name, version: $0.version) }
            self.deltaUpdate = deltaUpdate
            self.ended = ended
        }
    }

    struct Sibling: Hashable, Sendable {
        var name: String
        var version: Int
    }

    private struct Entry {
        /// Held weakly: a rendition that goes away takes its entry with it, and a new rendition
        /// (whose versions start again) never matches an old entry.
        weak var rendition: (any LiveRenditionWindow)?
        var key: Key
        var body: ByteBuffer
    }

    private let entries = NIOLockedValueBox([ObjectIdentifier: Entry]())

    /// The cached playlist of `rendition` for `key`, or the one `render` makes (then cached).
    func playlist(for rendition: any LiveRenditionWindow, key: Key, render: () -> String) -> ByteBuffer {
        let id = ObjectIdentifier(rendition)
        let cached: ByteBuffer? = entries.withLockedValue { entries in
            guard let entry = entries[id], entry.rendition === rendition, entry.key == key else { return nil }
            return entry.body
        }
        if let cached { return cached }
        let body = ByteBuffer(string: render())
        entries.withLockedValue { entries in
            if entries[id]?.rendition !== rendition {
                // A new rendition: drop the entries of renditions that are gone.
                entries = entries.filter { $0.value.rendition != nil }
            }
            entries[id] = Entry(rendition: rendition, key: key, body: body)
        }
        return body
    }
}
