/// The watch pages: `/watch/{channel}` plays one channel with the Antenne player
/// (`/player/watch.js` on `/player/antenne.js`: Media Source Extensions, the browser's own HLS
/// only where there is none) next to a rail of the public live channels; ArrowUp and ArrowDown
/// change channel in place. `/watch` is the lineup of those channels.
///
/// For a `token` channel the page is opened as `/watch/{channel}?token=…`: the script hands its own
/// token on to the playlists and the thumbnail (the playlists carry it further). The page itself
/// holds no token, so it stays cacheable.
enum WatchPage {
    /// Channel names are validated before they reach the page; escaping is a second fence.
    static func html(channel: String) -> String {
        let name = escape(channel)
        return page(title: "\(name) · Antenne", body: """
        <main class="watch">
          <section class="stage">
            <div class="frame">
              <video id="player" autoplay muted playsinline></video>
              <div id="status" class="overlay" role="status" aria-live="polite">Connecting…</div>
            </div>
            <header><span id="badge" class="badge">OFFLINE</span><h1 id="title">\(name)</h1></header>
          </section>
          <nav class="rail" aria-label="Channels (ArrowUp and ArrowDown change channel)"><ol id="channels"></ol></nav>
        </main>
        <script type="module">
        import { watchPage } from "/player/watch.js";
        watchPage(\(javaScriptString(channel)));
        </script>
        """)
    }

    /// `/watch`: the lineup, filled in from `/watch/channels.json`.
    static func lineupHTML() -> String {
        page(title: "Live · Antenne", body: """
        <main class="lineup">
          <h1>Live now</h1>
          <p id="empty" hidden>No channel is live right now.</p>
          <ol id="lineup"></ol>
        </main>
        <script type="module">
        import { lineupPage } from "/player/watch.js";
        lineupPage();
        </script>
        """)
    }

    /// Every module the player's pages import, fetched at once rather than one import level at a
    /// time.
    static let modulePreloads = PlayerAssets.files.keys.sorted()
        .map { "<link rel=\"modulepreload\" href=\"/player/\($0)\">" }.joined(separator: "\n")

    private static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        \(modulePreloads)
        <style>
          :root { color-scheme: dark; --accent: #d93025; }
          body { margin: 0; min-height: 100vh; background: #0d0f12; color: #e8eaed;
                 font: 15px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
          a { color: inherit; text-decoration: none; }
          .watch { display: flex; gap: 1rem; padding: 1rem; box-sizing: border-box; min-height: 100vh; align-items: flex-start; }
          .stage { flex: 1; min-width: 0; }
          .frame { position: relative; background: #000; aspect-ratio: 16 / 9; max-height: calc(100vh - 5rem); margin: auto; }
          video { width: 100%; height: 100%; display: block; background: #000; }
          .overlay { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
                     text-align: center; padding: 1rem; color: #9aa0a6; pointer-events: none; }
          .overlay[hidden] { display: none; }
          header { display: flex; align-items: center; gap: .6rem; padding: .8rem 0; }
          h1 { font-size: 1rem; font-weight: 600; margin: 0; }
          .badge { font-size: .72rem; font-weight: 700; letter-spacing: .06em; padding: .15rem .45rem;
                   border-radius: .25rem; background: #3c4043; color: #e8eaed; }
          .badge.live { background: var(--accent); }
          .rail { width: 13rem; max-height: calc(100vh - 2rem); overflow-y: auto; }
          ol { list-style: none; margin: 0; padding: 0; }
          .rail a { display: flex; align-items: center; gap: .6rem; padding: .35rem; border-radius: .35rem; }
          .rail a:hover, .rail a:focus-visible { background: #202327; }
          .rail a[aria-current] { outline: 2px solid var(--accent); }
          .rail img { width: 96px; height: 54px; object-fit: cover; background: #202327; border-radius: .2rem; }
          .lineup { padding: 1.5rem; }
          .lineup h1 { font-size: 1.3rem; margin-bottom: 1rem; }
          #lineup { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); }
          #lineup a { display: block; }
          #lineup img { width: 100%; aspect-ratio: 16 / 9; object-fit: cover; background: #202327; border-radius: .3rem; }
          #lineup span { display: block; padding: .4rem 0; font-weight: 600; }
          @media (max-width: 45rem) {
            .watch { flex-direction: column; padding: 0; }
            .rail { width: 100%; max-height: none; }
            .rail ol { display: flex; overflow-x: auto; }
            .rail span { display: none; }
          }
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    /// A JavaScript string literal: JSON's escaping, plus `<` so that no `</script>` can end the
    /// script early.
    static func javaScriptString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "<": out += "\\u003c"
            case _ where scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}":
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
