/// The web player's ES modules (`Sources/Delivery/Player/*.js`), embedded in the binary
/// (``EmbeddedAsset``) and served at `/player/{name}` (ARCHITECTURE.md, Contracts: Player).
enum PlayerAssets {
    /// `application/javascript` is obsolete (RFC 9239 §6): modules are `text/javascript`.
    static let contentType = "text/javascript; charset=utf-8"

    /// By name, as the URL gives it. Every module the player imports is here.
    static let files: [String: EmbeddedAsset] = [
        "antenne.js": EmbeddedAsset(PackageResources.antenne_js),
        "abr.js": EmbeddedAsset(PackageResources.abr_js),
        "cache.js": EmbeddedAsset(PackageResources.cache_js),
        "captions.js": EmbeddedAsset(PackageResources.captions_js),
        "cea608.js": EmbeddedAsset(PackageResources.cea608_js),
        "clearkey.js": EmbeddedAsset(PackageResources.clearkey_js),
        "controls.js": EmbeddedAsset(PackageResources.controls_js),
        "dash.js": EmbeddedAsset(PackageResources.dash_js),
        "decrypt.js": EmbeddedAsset(PackageResources.decrypt_js),
        "hls.js": EmbeddedAsset(PackageResources.hls_js),
        "liveedge.js": EmbeddedAsset(PackageResources.liveedge_js),
        "m3u8.js": EmbeddedAsset(PackageResources.m3u8_js),
        "mp4.js": EmbeddedAsset(PackageResources.mp4_js),
        "mpd.js": EmbeddedAsset(PackageResources.mpd_js),
        "mse.js": EmbeddedAsset(PackageResources.mse_js),
        "net.js": EmbeddedAsset(PackageResources.net_js),
        "p2p.js": EmbeddedAsset(PackageResources.p2p_js),
        "p2pdata.js": EmbeddedAsset(PackageResources.p2pdata_js),
        "player.js": EmbeddedAsset(PackageResources.player_js),
        "quality.js": EmbeddedAsset(PackageResources.quality_js),
        "session.js": EmbeddedAsset(PackageResources.session_js),
        "track.js": EmbeddedAsset(PackageResources.track_js),
        "watch.js": EmbeddedAsset(PackageResources.watch_js),
    ]
}
