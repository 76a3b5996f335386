import NIOConcurrencyHelpers
import NIOCore
import Packager

/// The last media playlist rendered for each rendition, and the last MPD for each channel, so
/// that the requests that see the same live window (players polling, several viewers at the live
/// edge) share one rendering; on a token channel, a ``PlaylistTemplate`` that each viewer's token
/// fills.
///
/// An entry is reused only when everything the text is made of is unchanged: the rendition's
/// window (its snapshot version), the siblings its rendition reports describe (their names and
/// versions), whether it is a delta update, whether the playlist has ended, whether its URIs
/// carry a token and how the channel is encrypted. Anything else the
/// playlist depends on is fixed for the life of a rendition (the channel's packager configuration).
final class PlaylistCache: Sendable {
    struct Key: Hashable, Sendable {
        var version: Int
        var siblings: [Sibling]
        var deltaUpdate: Bool
        var ended: Bool
        var signed: Bool
        var encryption: ContentEncryption?

        init(
            _ snapshot: RenditionSnapshot, siblings: [RenditionSnapshot], deltaUpdate: Bool, ended: Bool, signed: Bool = false,
            encryption: ContentEncryption? = nil
        ) {
            self.encryption = encryption
            self.version = snapshot.version
            self.siblings = siblings.map { Sibling(name: $0.name, version: $0.version) }
            self.deltaUpdate = deltaUpdate
            self.ended = ended
            self.signed = signed
        }

        /// A channel's MPD: made of every listed rendition's window.
        init(manifestOf snapshots: [RenditionSnapshot], signed: Bool) {
            self.version = 0
            self.siblings = snapshots.map { Sibling(name: $0.name, version: $0.version) }
            self.deltaUpdate = false
            self.ended = false
            self.signed = signed
            self.encryption = nil
        }
    }

    struct Sibling: Hashable, Sendable {
        var name: String
        var version: Int
    }

    private struct Entry {
        /// Held weakly: a rendition (or channel) that goes away takes its entry with it, and a new
        /// one (whose versions start again) never matches an old entry.
        weak var owner: (any AnyObject & Sendable)?
        var key: Key
        var template: PlaylistTemplate
    }

    private let entries = NIOLockedValueBox([ObjectIdentifier: Entry]())

    /// The cached playlist of `owner` (a rendition, or a channel for its MPD) for `key`, or the one
    /// `render` makes (then cached).
    func playlist(for owner: any AnyObject & Sendable, key: Key, render: () -> String) -> PlaylistTemplate {
        let id = ObjectIdentifier(owner)
        let cached: PlaylistTemplate? = entries.withLockedValue { entries in
            guard let entry = entries[id], entry.owner === owner, entry.key == key else { return nil }
            return entry.template
        }
        if let cached { return cached }
        let template = PlaylistTemplate(rendering: render())
        entries.withLockedValue { entries in
            if entries[id]?.owner !== owner {
                // A new rendition or channel: drop the entries of those that are gone.
                entries = entries.filter { $0.value.owner != nil }
            }
            entries[id] = Entry(owner: owner, key: key, template: template)
        }
        return template
    }
}
