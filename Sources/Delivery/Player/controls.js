// The player's own controls, for the watch page and the embed: play and pause, sound, a seek bar
// over the playlist's window (the live window, the DVR archive with `dvr`, all of a start-over,
// catch-up or VOD), the position, "back to live", the audio language (a list, where the stream
// has several), captions (once the stream has some) and full screen. Every control is a button,
// a list or a slider with an accessible name; the keyboard does the same (see `KEYS`).
//
//   import { attachControls } from "https://antenne.example/player/controls.js";
//   attachControls(player, document.querySelector(".frame"));

/** How often the controls follow the player, in ms. */
const REFRESH = 250;
/** Seconds an arrow key moves the playhead (on the slider too). */
export const STEP = 10;
/** Closer than this to the live edge (beyond the target latency), the position reads "LIVE". */
const AT_LIVE = 1.5;

/** Keys and what they do: space or `k` play and pause, ArrowLeft and ArrowRight seek by `STEP`,
 *  `l` goes live, `m` mutes, `a` moves to the next audio language, `c` shows or hides captions,
 *  `f` is full screen. */
export const KEYS = Object.freeze({
  " ": "toggle", k: "toggle", ArrowLeft: "back", ArrowRight: "forward", l: "live", m: "mute", a: "audio", c: "captions",
  f: "fullscreen",
});

const STYLE = `
.antenne-controls { position: absolute; left: 0; right: 0; bottom: 0; display: flex; align-items: center;
  gap: .5rem; padding: .4rem .6rem; background: linear-gradient(transparent, rgba(0,0,0,.75));
  color: #fff; font: 13px/1 system-ui, sans-serif; opacity: 1; transition: opacity .3s; }
.antenne-idle .antenne-controls:not(:focus-within) { opacity: 0; }
.antenne-controls button { background: none; border: 0; color: inherit; font: inherit; cursor: pointer;
  min-width: 2rem; min-height: 2rem; padding: .2rem .4rem; border-radius: .25rem; }
.antenne-controls button:focus-visible, .antenne-controls input:focus-visible { outline: 2px solid var(--antenne-accent, #d93025); }
.antenne-controls input[type=range] { flex: 1; min-width: 4rem; accent-color: var(--antenne-accent, #d93025); }
.antenne-controls .antenne-time { min-width: 4.5rem; text-align: right; font-variant-numeric: tabular-nums; }
.antenne-controls .antenne-live { font-weight: 700; letter-spacing: .04em; }
.antenne-controls .antenne-live::before { content: "●"; margin-right: .3rem; color: #9aa0a6; }
.antenne-controls .antenne-live[data-at-live="true"]::before { color: var(--antenne-accent, #d93025); }
.antenne-controls .antenne-captions[aria-pressed="true"] { box-shadow: inset 0 -2px var(--antenne-accent, #d93025); }
.antenne-controls select { background: rgba(0,0,0,.5); color: inherit; font: inherit; border: 1px solid #9aa0a6;
  border-radius: .25rem; min-height: 2rem; padding: 0 .3rem; }
.antenne-controls select:focus-visible { outline: 2px solid var(--antenne-accent, #d93025); }
.antenne-controls [hidden] { display: none; }
`;

function installStyle() {
  if (document.getElementById("antenne-controls-style")) return;
  const style = document.createElement("style");
  style.id = "antenne-controls-style";
  style.textContent = STYLE;
  document.head.append(style);
}

function button(name, label, text) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = `antenne-${name}`;
  b.setAttribute("aria-label", label);
  b.textContent = text;
  return b;
}

/** `m:ss` or `h:mm:ss`. */
export function clock(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/**
 * Controls over `container` (the element around the video, positioned) for `player`. Keys are
 * listened to on `keyTarget` (the container by default; a page with one player may pass
 * `window`). Returns a function that removes them.
 */
export function attachControls(player, container, { keyTarget = container } = {}) {
  installStyle();
  const video = player.video;
  video.controls = false;
  const bar = document.createElement("div");
  bar.className = "antenne-controls";
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", "Player controls");
  const play = button("play", "Play", "▶");
  const mute = button("mute", "Unmute", "🔇");
  const seek = document.createElement("input");
  seek.type = "range";
  seek.className = "antenne-seek";
  seek.step = "any";
  seek.setAttribute("aria-label", "Position");
  const time = document.createElement("span");
  time.className = "antenne-time";
  time.setAttribute("aria-hidden", "true");
  const live = button("live", "Back to live", "LIVE");
  const audio = document.createElement("select");
  audio.className = "antenne-audio";
  audio.setAttribute("aria-label", "Audio language");
  audio.hidden = true;
  let audioListed = "";
  const captions = button("captions", "Captions", "CC");
  captions.hidden = true;
  const full = button("fullscreen", "Full screen", "⛶");
  bar.append(play, mute, seek, time, live, audio, captions, full);
  container.append(bar);
  let dragging = false;

  const actions = {
    toggle: () => (video.paused ? player.play() : player.pause()),
    back: () => player.seek(video.currentTime - STEP),
    forward: () => player.seek(video.currentTime + STEP),
    live: () => player.goLive(),
    mute: () => { video.muted = !video.muted; },
    audio: () => {
      const tracks = player.audioTracks;
      if (tracks.length > 1) player.setAudioTrack(((player.audioTrack ?? 0) + 1) % tracks.length).catch(() => {});
    },
    captions: () => { if (player.captions?.available) player.captions.showing = !player.captions.showing; },
    fullscreen: () => (document.fullscreenElement ? document.exitFullscreen() : container.requestFullscreen?.())?.catch?.(() => {}),
  };
  play.addEventListener("click", () => actions.toggle());
  mute.addEventListener("click", () => actions.mute());
  live.addEventListener("click", () => actions.live());
  audio.addEventListener("change", () => { player.setAudioTrack(Number(audio.value)).catch(() => {}); });
  captions.addEventListener("click", () => { actions.captions(); refresh(); });
  full.addEventListener("click", () => actions.fullscreen());
  seek.addEventListener("input", () => { dragging = true; });
  seek.addEventListener("change", () => { dragging = false; player.seek(Number(seek.value)); });

  const onKey = (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    // The buttons answer their own space and Enter; the slider's arrows seek by `STEP` too; the
    // audio list keeps its own keys.
    if (event.target.closest?.("button, input, textarea, select, a") && (event.key === " " || event.key === "Enter")) return;
    if (event.target.closest?.("select")) return;
    const action = KEYS[event.key];
    if (!action) return;
    event.preventDefault();
    actions[action]();
    refresh();
  };
  keyTarget.addEventListener("keydown", onKey);

  function refresh() {
    play.textContent = video.paused ? "▶" : "❚❚";
    play.setAttribute("aria-label", video.paused ? "Play" : "Pause");
    mute.textContent = video.muted ? "🔇" : "🔊";
    mute.setAttribute("aria-label", video.muted ? "Unmute" : "Mute");
    const tracks = player.audioTracks;
    const listed = tracks.map((t) => `${t.index}:${t.label}`).join("|");
    if (listed !== audioListed) {
      audioListed = listed;
      audio.replaceChildren(...tracks.map((t) => new Option(t.label, String(t.index))));
    }
    audio.hidden = tracks.length < 2;
    if (player.audioTrack !== undefined && document.activeElement !== audio) audio.value = String(player.audioTrack);
    captions.hidden = !player.captions?.available;
    captions.setAttribute("aria-pressed", String(Boolean(player.captions?.showing)));
    const range = player.seekable;
    const isLive = player.isLive;
    live.hidden = !isLive;
    seek.disabled = !range;
    if (!range) { time.textContent = ""; return; }
    seek.min = String(range.start);
    seek.max = String(range.end);
    if (!dragging) seek.value = String(video.currentTime);
    const behind = range.end - video.currentTime;
    const atLive = isLive && player.atLive && behind < (player.options.targetLatency ?? 1) + AT_LIVE;
    live.dataset.atLive = String(atLive);
    const text = !isLive ? `${clock(video.currentTime - range.start)} / ${clock(range.end - range.start)}`
      : atLive ? "" : `−${clock(behind)}`;
    time.textContent = text;
    seek.setAttribute("aria-valuetext", isLive ? (atLive ? "live" : `${clock(behind)} behind live`) : text);
  }
  const timer = setInterval(refresh, REFRESH);
  refresh();

  // The bar fades while the picture plays untouched.
  let idle;
  const wake = () => {
    container.classList.remove("antenne-idle");
    clearTimeout(idle);
    idle = setTimeout(() => { if (!video.paused) container.classList.add("antenne-idle"); }, 3000);
  };
  container.addEventListener("pointermove", wake);
  container.addEventListener("focusin", wake);
  wake();

  return () => {
    clearInterval(timer);
    clearTimeout(idle);
    keyTarget.removeEventListener("keydown", onKey);
    container.removeEventListener("pointermove", wake);
    container.removeEventListener("focusin", wake);
    bar.remove();
  };
}
