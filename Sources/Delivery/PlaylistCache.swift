import NIOConcurrencyHelpers
import NIOCore
import Packager

/// The last media playlist rendered for each rendition, so that the requests that see the same
/// live window (players polling, several viewers at the live edge) share one rendering; on a
/// token channel, a ``PlaylistTemplate`` that each viewer's token fills.
///
/// An entry is reused only when everything the text is made of is unchanged: the rendition's
/// window (its snapshot version), the siblings its rendition reports describe (their names and
/// versions), whether it is a delta update, whether the playlist has ended and whether its URIs
/// carry a token. Anything else the
/// playlist depends on is fixed for the life of a rendition (the channel's packager configuration).
final class PlaylistCache: Sendable {
    struct Key: Hashable, Sendable {
        var version: Int
        var siblings: [Sibling]
        var deltaUpdate: Bool
        var ended: Bool
        var signed: Bool

        init(_ snapshot: RenditionSnapshot, siblings: [RenditionSnapshot], deltaUpdate: Bool, ended: Bool, signed: Bool = false) {
            self.version = snapshot.version
            self.siblings = siblings.map { Sibling(name: $0.name, version: $0.version) }
            self.deltaUpdate = deltaUpdate
            self.ended = ended
            self.signed = signed
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
        var template: PlaylistTemplate
    }

    private let entries = NIOLockedValueBox([ObjectIdentifier: Entry]())

    /// The cached playlist of `rendition` for `key`, or the one `render` makes (then cached).
    func playlist(for rendition: any LiveRenditionWindow, key: Key, render: () -> String) -> PlaylistTemplate {
        let id = ObjectIdentifier(rendition)
        let cached: PlaylistTemplate? = entries.withLockedValue { entries in
            guard let entry = entries[id], entry.rendition === rendition, entry.key == key else { return nil }
            return entry.template
        }
        if let cached { return cached }
        let template = PlaylistTemplate(rendering: render())
        entries.withLockedValue { entries in
            if entries[id]?.rendition !== rendition {
                // A new rendition: drop the entries of renditions that are gone.
                entries = entries.filter { $0.value.rendition != nil }
            }
            entries[id] = Entry(rendition: rendition, key: key, template: template)
        }
        return template
    }
}
