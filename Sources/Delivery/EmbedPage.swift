/// `/embed/{channel}`: the player alone, filling its frame, for an `<iframe>` on another site:
/// no rail, the player's own controls (keyboard: space, ArrowLeft/ArrowRight, `l`, `m`, `f`),
/// and the branding of ``EmbedBranding``. The page's script (`embedPage` in `/player/watch.js`)
/// reads `token`, `dvr`, `start`, `end` and `latency` from the page's query as the watch page does.
enum EmbedPage {
    static func html(channel: String, branding: EmbedBranding) -> String {
        let name = WatchPage.escape(channel)
        let title = branding.title.map(WatchPage.escape)
        // `EmbedBranding` checked the accent to be `#rgb` or `#rrggbb`: nothing else gets here.
        let accent = branding.accent.map { " --antenne-accent: \($0);" } ?? ""
        let poster = branding.poster.map { " poster=\"\(WatchPage.escape($0))\"" } ?? ""
        let logo = branding.logo.map { "<img class=\"logo\" src=\"\(WatchPage.escape($0))\" alt=\"\">" } ?? ""
        let heading = title.map { "<h1 id=\"title\">\($0)</h1>" } ?? ""
        let brand = logo.isEmpty && heading.isEmpty ? "" : "<header class=\"brand\">\(logo)\(heading)</header>"
        return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title ?? name)</title>
        \(WatchPage.modulePreloads)
        <style>
          :root { color-scheme: dark;\(accent) }
          html, body { margin: 0; height: 100%; background: #000; color: #fff; overflow: hidden;
                       font: 15px/1.3 system-ui, -apple-system, "Segoe UI", sans-serif; }
          .frame { position: fixed; inset: 0; }
          video { width: 100%; height: 100%; display: block; background: #000; object-fit: contain; }
          .brand { position: absolute; top: 0; left: 0; right: 0; display: flex; align-items: center; gap: .6rem;
                   padding: .6rem .8rem; background: linear-gradient(rgba(0,0,0,.6), transparent); pointer-events: none;
                   transition: opacity .3s; }
          .antenne-idle .brand { opacity: 0; }
          .logo { max-height: 2rem; max-width: 8rem; }
          h1 { font-size: 1rem; font-weight: 600; margin: 0; text-shadow: 0 1px 2px #000; }
          .overlay { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
                     text-align: center; padding: 1rem; color: #bdc1c6; pointer-events: none; }
          .overlay[hidden] { display: none; }
        </style>
        </head>
        <body>
        <main class="frame" aria-label="\(title ?? name)">
          <video id="player" autoplay muted playsinline\(poster)></video>
          \(brand)
          <div id="status" class="overlay" role="status" aria-live="polite">Connecting…</div>
        </main>
        <script type="module">
        import { embedPage } from "/player/watch.js";
        embedPage(\(WatchPage.javaScriptString(channel)));
        </script>
        </body>
        </html>

        """
    }
}
