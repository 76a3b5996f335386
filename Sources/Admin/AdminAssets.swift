import Delivery

/// The back-office's page, styles and ES modules (`Sources/Admin/Pages`), embedded in the binary
/// (``EmbeddedAsset``, as the player's are) and served under `/admin/`.
enum AdminAssets {
    struct File: Sendable {
        let asset: EmbeddedAsset
        let contentType: String
    }

    /// `application/javascript` is obsolete (RFC 9239 §6): modules are `text/javascript`.
    static let javaScript = "text/javascript; charset=utf-8"

    /// The one page: the modules draw every view in it.
    static let page = File(asset: EmbeddedAsset(PackageResources.index_html), contentType: "text/html; charset=utf-8")

    /// By name, as the URL gives it. Every module a module imports is here.
    static let files: [String: File] = [
        "admin.css": File(asset: EmbeddedAsset(PackageResources.admin_css), contentType: "text/css; charset=utf-8"),
        "api.js": File(asset: EmbeddedAsset(PackageResources.api_js), contentType: javaScript),
        "app.js": File(asset: EmbeddedAsset(PackageResources.app_js), contentType: javaScript),
        "channel.js": File(asset: EmbeddedAsset(PackageResources.channel_js), contentType: javaScript),
        "channels.js": File(asset: EmbeddedAsset(PackageResources.channels_js), contentType: javaScript),
        "graph.js": File(asset: EmbeddedAsset(PackageResources.graph_js), contentType: javaScript),
        "server.js": File(asset: EmbeddedAsset(PackageResources.server_js), contentType: javaScript),
        "timeline.js": File(asset: EmbeddedAsset(PackageResources.timeline_js), contentType: javaScript),
        "ui.js": File(asset: EmbeddedAsset(PackageResources.ui_js), contentType: javaScript),
    ]
}
