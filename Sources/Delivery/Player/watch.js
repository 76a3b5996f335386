// The watch pages: `/watch` (the lineup of public live channels), `/watch/{channel}` (the
// player with a channel rail; ArrowUp and ArrowDown, or a click, change channel in place) and
// `/embed/{channel}` (the player alone, for an <iframe>).

import { createPlayer } from "./antenne.js";
import { attachControls } from "./controls.js";

export const MESSAGES = Object.freeze({
  refused: "This stream needs a valid link.",
  expired: "This link has expired. Ask for a new one.",
  offline: "The stream is offline. Waiting for it to start…",
  connecting: "Connecting…",
  buffering: "Buffering…",
  reconnecting: "Reconnecting…",
  unsupported: "This browser cannot play this stream. Open it in VLC: ",
});

/** How often the lineup is asked again (channels start and stop), in ms. */
const LINEUP_EVERY = 15_000;

/** The public live channels, by name (`/watch/channels.json`). */
export async function lineup() {
  const response = await fetch("/watch/channels.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`lineup: HTTP ${response.status}`);
  return (await response.json()).channels.map((c) => c.name);
}

function thumbnail(channel, token) {
  return `/hls/${encodeURIComponent(channel)}/thumbnail.jpg?t=${Date.now()}` + (token ? `&token=${encodeURIComponent(token)}` : "");
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** The player of a page, from its query: `token`, `latency`, `engine`, `debug`, `dvr`, `format`
 *  ("dash" plays the channel's MPD), `captions` (shown from the start: `CC1` to `CC4`, or any
 *  other value for CC1), and the
 *  `start` and `end` of a start-over or catch-up; with its controls. */
function pagePlayer(video) {
  const params = new URLSearchParams(location.search);
  const player = createPlayer(video, {
    debug: params.has("debug"), targetLatency: Number(params.get("latency")) || undefined,
    engine: params.get("engine") || undefined, dvr: Number(params.get("dvr")) || undefined,
    format: params.get("format") || undefined,
    captions: params.has("captions"), captionChannel: params.get("captions") || undefined,
  });
  globalThis.antenne = player;
  attachControls(player, video.parentElement, { keyTarget: globalThis });
  return {
    player, token: params.get("token") || undefined,
    range: { start: params.get("start") || undefined, end: params.get("end") || undefined },
  };
}

/** What a page shows for a player error, if anything. */
function errorMessage({ kind, status }, channel) {
  if (kind === "refused") return status === 410 ? MESSAGES.expired : MESSAGES.refused;
  if (kind === "unsupported") return MESSAGES.unsupported + location.origin + `/hls/${channel}/master.m3u8`;
  return undefined;
}

/** `/embed/{channel}`: the player alone. The page itself carries the branding (title, logo,
 *  accent, poster); without a poster, the channel's thumbnail stands in. */
export function embedPage(channel) {
  const video = document.getElementById("player");
  const status = document.getElementById("status");
  const { token, range, player } = pagePlayer(video);
  let waiting;
  const show = (text) => { status.textContent = text; status.hidden = !text; };
  const tune = () => player.load(channel, { token, ...range }).catch(() => {});
  player.on("status", ({ state }) => {
    if (state === "playing") { show(""); return; }
    if (state === "ended") {
      if (range.end !== undefined) return;
      // The publisher left: wait for the channel to come back.
      show(MESSAGES.offline);
      clearTimeout(waiting);
      waiting = setTimeout(tune, 3000);
      return;
    }
    if (MESSAGES[state]) show(MESSAGES[state]);
  });
  player.on("firstframe", () => show(""));
  player.on("error", (error) => {
    const message = errorMessage(error, channel);
    if (message) show(message);
  });
  if (!video.getAttribute("poster")) video.poster = thumbnail(channel, token);
  tune();
  return player;
}

/** `/watch/{channel}`. The page's own `?token=` belongs to `initial` only: a token is signed for
 *  one channel, and the other channels of the rail are public; so do `?start=` and `?end=`
 *  (start-over, catch-up). `?dvr=SECONDS` asks every channel for that much archive. */
export function watchPage(initial) {
  const $ = (id) => document.getElementById(id);
  const video = $("player");
  const status = $("status");
  const badge = $("badge");
  const title = $("title");
  const list = $("channels");
  const { token, range, player } = pagePlayer(video);
  let channels = [initial];
  let current = initial;
  let waiting;

  const show = (text) => { status.textContent = text; status.hidden = !text; };
  const setLive = (live) => {
    // A catch-up, a recording or a clip plays as a replay.
    const replay = live && player.isLive === false;
    badge.textContent = replay ? "REPLAY" : live ? "LIVE" : "OFFLINE";
    badge.classList.toggle("live", live && !replay);
  };
  const isReplay = () => current === initial && range.end !== undefined;

  player.on("status", ({ state }) => {
    if (state === "playing") { show(""); setLive(true); return; }
    if (state === "ended" && isReplay()) { setLive(true); return; }
    if (state === "ended") {
      // The publisher left: wait for the channel to come back.
      setLive(false);
      show(MESSAGES.offline);
      clearTimeout(waiting);
      waiting = setTimeout(() => tune(current, false), 3000);
      return;
    }
    if (MESSAGES[state]) show(MESSAGES[state]);
    if (state === "offline" || state === "reconnecting") setLive(false);
  });
  player.on("firstframe", () => { show(""); setLive(true); });
  player.on("error", (error) => {
    if (error.kind === "refused") setLive(false);
    const message = errorMessage(error, current);
    if (message) show(message);
  });

  function tokenFor(channel) { return channel === initial ? token : undefined; }

  function tune(channel, zap) {
    clearTimeout(waiting);
    current = channel;
    const t = tokenFor(channel);
    title.textContent = channel;
    document.title = `${channel} · Antenne`;
    video.poster = thumbnail(channel, t);
    if (zap) history.replaceState(null, "", `/watch/${encodeURIComponent(channel)}` + (t ? `?token=${encodeURIComponent(t)}` : ""));
    markRail();
    const options = { token: t, ...(channel === initial ? range : {}) };
    const playing = zap ? player.zap(channel, options) : player.load(channel, options);
    playing.catch(() => {});
    warmNeighbours();
  }

  function step(by) {
    if (channels.length < 2) return;
    const at = Math.max(0, channels.indexOf(current));
    tune(channels[(at + by + channels.length) % channels.length], true);
  }

  function warmNeighbours() {
    const at = channels.indexOf(current);
    if (channels.length < 2 || at < 0) { player.prefetch([]); return; }
    const next = channels[(at + 1) % channels.length];
    const previous = channels[(at - 1 + channels.length) % channels.length];
    player.prefetch([...new Set([next, previous])].filter((c) => c !== current && !(token && c === initial)));
  }

  function markRail() {
    for (const a of list.querySelectorAll("a")) {
      if (a.dataset.channel === current) a.setAttribute("aria-current", "true");
      else a.removeAttribute("aria-current");
    }
  }

  function renderRail() {
    list.replaceChildren(...channels.map((name) => {
      const a = el("a", { href: `/watch/${encodeURIComponent(name)}`, "data-channel": name },
        el("img", { src: thumbnail(name, tokenFor(name)), alt: "", loading: "lazy", width: "96", height: "54" }),
        el("span", {}, name));
      a.addEventListener("click", (event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        if (name !== current) tune(name, true);
      });
      return el("li", {}, a);
    }));
    markRail();
  }

  async function refreshLineup() {
    try {
      const live = await lineup();
      const next = live.includes(initial) || !token ? live : [...live, initial].sort();
      if (!next.includes(current)) next.push(current);
      const changed = next.join("\n") !== channels.join("\n");
      channels = next;
      if (changed) { renderRail(); warmNeighbours(); }
    } catch (error) {
      player.log(error.message);
    }
  }

  addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest?.("input, textarea, select")) return;
    if (event.key === "ArrowDown") { event.preventDefault(); step(1); }
    if (event.key === "ArrowUp") { event.preventDefault(); step(-1); }
  }, { capture: true });

  renderRail();
  tune(initial, false);
  refreshLineup();
  setInterval(refreshLineup, LINEUP_EVERY);
  return player;
}

/** `/watch`: a card per public live channel, refreshed while the page is open. */
export function lineupPage() {
  const grid = document.getElementById("lineup");
  const empty = document.getElementById("empty");
  async function refresh() {
    let names = [];
    try { names = await lineup(); } catch { /* keep what is shown */ return; }
    empty.hidden = names.length > 0;
    grid.replaceChildren(...names.map((name) => el("li", {},
      el("a", { href: `/watch/${encodeURIComponent(name)}` },
        el("img", { src: thumbnail(name), alt: "", loading: "lazy", width: "320", height: "180" }),
        el("span", {}, name)))));
  }
  refresh();
  setInterval(refresh, LINEUP_EVERY);
}
