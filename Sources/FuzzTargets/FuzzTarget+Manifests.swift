import Manifests

/// Playlists an edge or a player reads from an origin.
extension FuzzTarget {
    static let manifests: [FuzzTarget] = [
        FuzzTarget(name: "hls-media") { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            guard let playlist = try? MediaPlaylist.parse(text) else { return false }
            // What parsed renders to a playlist that parses and renders to the same text. (Text,
            // not the model: rendering writes durations to 10 µs, so a finer one read from
            // outside comes back rounded.)
            let rendered = playlist.render()
            let again = try? MediaPlaylist.parse(rendered).render()
            check(again == rendered, "media playlist changed through render and parse")
            return true
        },
        FuzzTarget(name: "hls-multivariant") { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            guard let playlist = try? MultivariantPlaylist.parse(text) else { return false }
            let rendered = playlist.render()
            let again = try? MultivariantPlaylist.parse(rendered).render()
            check(again == rendered, "multivariant playlist changed through render and parse")
            return true
        },
    ]
}
