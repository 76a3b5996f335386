import Crypto
import NIOCore

/// The web player's ES modules (`Sources/Delivery/Player/*.js`), compiled into the binary by
/// SwiftPM's `embedInCode` rule (Package.swift) so that `antenne` stays one file, and served at
/// `/player/{name}` (ARCHITECTURE.md, Contracts: Player).
enum PlayerAssets {
    struct Asset: Sendable {
        let body: ByteBuffer
        /// A strong validator (RFC 9110 §8.8.3): the start of the SHA-256 of the bytes.
        let etag: String

        init(_ bytes: [UInt8]) {
            body = ByteBuffer(bytes: bytes)
            etag = "\"" + SHA256.hash(data: bytes).prefix(12).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() + "\""
        }
    }

    /// `application/javascript` is obsolete (RFC 9239 §6): modules are `text/javascript`.
    static let contentType = "text/javascript; charset=utf-8"

    /// By name, as the URL gives it. Every module the player imports is here.
    static let files: [String: Asset] = [
        "antenne.js": Asset(PackageResources.antenne_js),
        "abr.js": Asset(PackageResources.abr_js),
        "cache.js": Asset(PackageResources.cache_js),
        "controls.js": Asset(PackageResources.controls_js),
        "liveedge.js": Asset(PackageResources.liveedge_js),
        "m3u8.js": Asset(PackageResources.m3u8_js),
        "mp4.js": Asset(PackageResources.mp4_js),
        "mse.js": Asset(PackageResources.mse_js),
        "net.js": Asset(PackageResources.net_js),
        "p2p.js": Asset(PackageResources.p2p_js),
        "p2pdata.js": Asset(PackageResources.p2pdata_js),
        "player.js": Asset(PackageResources.player_js),
        "quality.js": Asset(PackageResources.quality_js),
        "session.js": Asset(PackageResources.session_js),
        "track.js": Asset(PackageResources.track_js),
        "watch.js": Asset(PackageResources.watch_js),
    ]
}
