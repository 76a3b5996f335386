import Manifests

/// Playlists an edge or a player reads from an origin.
extension FuzzTarget {
    static let manifests: [FuzzTarget] = [
        FuzzTarget(name: "hls-media") { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            guard let playlist = try? MediaPlaylist.parse(text) else { return false }
            // What parsed renders to a playlist that parses to the same model.
            let again = try? MediaPlaylist.parse(playlist.render())
            check(again == playlist, "media playlist changed through render and parse")
            return true
        },
        FuzzTarget(name: "hls-multivariant") { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            guard let playlist = try? MultivariantPlaylist.parse(text) else { return false }
            let again = try? MultivariantPlaylist.parse(playlist.render())
            check(again == playlist, "multivariant playlist changed through render and parse")
            return true
        },
    ]
}
