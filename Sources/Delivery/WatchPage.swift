/// The player page at `/watch/{channel}`: one `<video>` playing the multivariant playlist with the
/// browser's own HLS support (Safari, Chrome), retrying while the channel is offline.
///
/// For a `token` channel the page is opened as `/watch/{channel}?token=…`: the script hands its own
/// token on to the multivariant playlist and the thumbnail (the playlists carry it further). The
/// page itself holds no token, so it stays cacheable.
enum WatchPage {
    /// Channel names are validated before they reach the page; escaping is a second fence.
    static func html(channel: String) -> String {
        let name = escape(channel)
        return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(name) · Antenne</title>
        <style>
          :root { color-scheme: dark; }
          body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; align-items: center;
                 justify-content: center; background: #0d0f12; color: #e8eaed;
                 font: 15px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
          main { width: min(100vw, 160vh); }
          .frame { position: relative; background: #000; aspect-ratio: 16 / 9; }
          video { width: 100%; height: 100%; display: block; background: #000; }
          .overlay { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
                     color: #9aa0a6; pointer-events: none; }
          .overlay[hidden] { display: none; }
          header { display: flex; align-items: center; gap: .6rem; padding: .8rem 1rem; }
          h1 { font-size: 1rem; font-weight: 600; margin: 0; }
          .badge { font-size: .72rem; font-weight: 700; letter-spacing: .06em; padding: .15rem .45rem;
                   border-radius: .25rem; background: #3c4043; color: #e8eaed; }
          .badge.live { background: #d93025; }
        </style>
        </head>
        <body>
        <main>
          <div class="frame">
            <video id="player" controls autoplay muted playsinline></video>
            <div id="status" class="overlay">Connecting…</div>
          </div>
          <header><span id="badge" class="badge">OFFLINE</span><h1>\(name)</h1></header>
        </main>
        <script>
        (() => {
          const video = document.getElementById("player");
          const status = document.getElementById("status");
          const badge = document.getElementById("badge");
          const token = new URLSearchParams(location.search).get("token");
          const signed = token ? "token=" + encodeURIComponent(token) : "";
          const source = "/hls/\(name)/master.m3u8" + (signed ? "?" + signed : "");
          let retry = null;
          function show(text) { status.textContent = text; status.hidden = !text; }
          function setLive(live) { badge.textContent = live ? "LIVE" : "OFFLINE"; badge.classList.toggle("live", live); }
          async function load() {
            clearTimeout(retry);
            try {
              const response = await fetch(source, { cache: "no-store" });
              if (response.status === 401 || response.status === 403 || response.status === 410) {
                setLive(false);
                show(response.status === 410 ? "This link has expired. Ask for a new one."
                  : "This stream needs a valid link.");
                return;
              }
              if (!response.ok) throw new Error("offline");
            } catch (e) {
              setLive(false); show("The stream is offline. Waiting for it to start…");
              retry = setTimeout(load, 3000); return;
            }
            if (!video.canPlayType("application/vnd.apple.mpegurl")) {
              show("This browser cannot play HLS natively. Open " + location.origin + source + " in VLC or Safari.");
              return;
            }
            video.poster = "/hls/\(name)/thumbnail.jpg?t=" + Date.now() + (signed ? "&" + signed : "");
            video.src = source;
            video.play().catch(() => {});
          }
          video.addEventListener("playing", () => { setLive(true); show(""); });
          video.addEventListener("waiting", () => show("Buffering…"));
          video.addEventListener("error", () => { setLive(false); show("Reconnecting…"); retry = setTimeout(load, 3000); });
          load();
        })();
        </script>
        </body>
        </html>

        """
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
