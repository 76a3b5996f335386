// The player: one <video>, the stream it plays (a Session on Media Source Extensions, from an
// HLS multivariant playlist or a DASH MPD, or the browser's own HLS where there is no MSE), the live-edge and stall watch, seeking in the
// playlist's window (DVR, start-over, catch-up, VOD), channel changes and the prefetching that
// makes them quick. See antenne.js for the public API.

import { ThroughputEstimator } from "./abr.js";
import { MediaCache } from "./cache.js";
import { Captions } from "./captions.js";
import { isMPD } from "./dash.js";
import { tracksOf } from "./hls.js";
import { LiveEdgeController } from "./liveedge.js";
import { liveStart, parseMedia, parseMultivariant } from "./m3u8.js";
import { mediaSourceClass } from "./mse.js";
import { get, HttpError, Origins, withToken } from "./net.js";
import { QualityReporter } from "./quality.js";
import { alignedStart, Session } from "./session.js";

/** A language's name in the viewer's language (`Intl.DisplayNames`: "fra" reads "French" to an
 *  English reader), or `fallback` (the stream's NAME) where the browser does not know it. */
export function languageLabel(language, fallback) {
  if (!language) return fallback ?? "";
  try {
    const names = new Intl.DisplayNames([navigator.language || "en"], { type: "language", fallback: "none" });
    return names.of(language) ?? fallback ?? language;
  } catch {
    return fallback ?? language;
  }
}

export const DEFAULTS = Object.freeze({
  /** Seconds behind the live edge to play at. Not given: 1 s, or the stream's PART-HOLD-BACK
   *  when that is less (a low-latency stream, RFC 8216bis §4.4.3.8: the server says how close
   *  a player may safely stay). */
  targetLatency: 1.0,
  /** Fastest catch-up playback rate. */
  maxRate: 1.1,
  /** Slowest rate when closer to the edge than the target (1: never slower). */
  minRate: 1.0,
  /** "lowest" (a fast start), "auto" (from the last estimate) or a level index. */
  startLevel: "lowest",
  /** A level index to stay on, or undefined for adaptive bitrate. */
  level: undefined,
  autoplay: true,
  /** The audio language to start with where a stream has several (an RFC 5646 or ISO 639 code
   *  as the stream states it: "fra", "en"); undefined: the stream's default. A language chosen
   *  with `setAudioTrack` is kept for the next channels. */
  audioLanguage: undefined,
  /** Show the captions carried in the video (CEA-608) as soon as they come. */
  captions: false,
  /** The CEA-608 channel to show: "CC1" (most streams' only one) to "CC4"; `captions.channel`
   *  changes it while playing. */
  captionChannel: "CC1",
  /** "auto" (MSE where there is one, else native HLS), "mse" or "native". */
  engine: "auto",
  /** Base URLs of the servers (origins or edges) to play from; one is picked at random. */
  baseURLs: undefined,
  token: undefined,
  /** What a channel loaded by name is played from: "hls" (`hls/{channel}/master.m3u8`) or
   *  "dash" (`dash/{channel}/manifest.mpd`). A URL says it itself. */
  format: "hls",
  /** Seconds of archive before the live window to ask for (`?dvr=`) when loading a channel by
   *  name; the channel must be archived. */
  dvr: undefined,
  /** Quality reports (startup, stalls, latency, bitrate) to the server's `player/beacon` every
   *  10 s: true (to the base URL playing), a URL, or false for none. */
  reports: true,
  /** Peer-assisted delivery (the channel must have it on): segments from other viewers of the
   *  same rendition when there is time, over HTTP otherwise. False turns it off entirely. */
  p2p: false,
  /** Serve other viewers: undefined (off on metered, cellular or data-saving connections),
   *  true or false. */
  p2pUpload: undefined,
  /** Upload cap, bytes per second. */
  p2pUploadRate: 500_000,
  /** "p2p": a preset for peer-assisted delivery (see PRESETS). */
  preset: undefined,
  debug: false,
});

/** Latency presets. "p2p": eight seconds behind live, whole segments only: room for peers to
 *  bring most segments before they are due (the LL-HLS edge leaves them little). */
export const PRESETS = Object.freeze({
  p2p: Object.freeze({ targetLatency: 8, p2p: true, segmentsOnly: true }),
});

/** How often the live edge, stalls and the back buffer are looked at, in ms. */
const TICK = 250;
/** Playhead stuck this long (ms) with data wanted counts as a stall. */
const STALL_AFTER = 400;
/** A hole in the buffer ahead of a stuck playhead is jumped when the next range starts within
 *  this many seconds (a gap segment, a missing part, audio and video ending apart). */
const MAX_HOLE = 2.5;
/** Prefetched multivariant playlists are used for this long (ms) on a channel change. */
const WARM_MASTER_MS = 15_000;
/** Prefetched media playlists are used for this long (ms) on a channel change: the key-frame
 *  part they start on is still in the window, and the first blocking reload catches up. */
const WARM_PLAYLIST_MS = 4_000;
/** How often the neighbours' prefetch is refreshed (ms): about a segment. */
const WARM_EVERY = 2_000;
/** How long after the first frame the one jump to the target latency may come, in ms; later,
 *  the playback rate does it. */
const CATCH_UP_WITHIN = 3_000;
/** Restart delay after an error that is not a refusal, in ms. */
const RESTART_AFTER = 3_000;
/** A seek this close (s) to the target distance from the live edge is back at live. */
const NEAR_LIVE = 1.5;
/** A seek is kept this far (s) before the end of the window: there is a frame to show. */
const SEEK_END_MARGIN = 0.1;

/** ISO 8601 (what the server's `start` and `end` take) of a Date, Unix ms or a string. */
function isoTime(time) {
  if (typeof time === "string") return time;
  return new Date(time).toISOString();
}

export class Player extends EventTarget {
  constructor(video, options = {}) {
    super();
    this.video = video;
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    const preset = PRESETS[given.preset] ?? {};
    this.options = { ...DEFAULTS, ...preset, ...given };
    /** The page chose the target latency: the stream's PART-HOLD-BACK does not change it. */
    this.latencyChosen = options.targetLatency !== undefined || preset.targetLatency !== undefined;
    /** Media bytes over HTTP and from peers (P2P), since the player was made. */
    this.p2pStats = { httpBytes: 0, peerBytes: 0, uploadBytes: 0, rejected: 0, fromPeers: 0, fromHttp: 0 };
    this.origins = new Origins(this.options.baseURLs);
    this.throughput = new ThroughputEstimator();
    this.cache = new MediaCache();
    this.controller = new LiveEdgeController(this.options);
    this.masters = new Map();
    /** CEA-608 captions found in the video (the `captionChannel` option's), on a "captions"
     *  TextTrack: off until `captions.showing` is set (the `captions` option, or the controls'
     *  CC button). */
    this.captions = new Captions(video, this.options.captionChannel);
    this.captions.showing = this.options.captions;
    this.session = undefined;
    this.source = undefined;
    /** Following the live edge (the playback rate holds the target latency); false once seeked
     *  back, and for playlists played from their start (start-over, catch-up, VOD). */
    this.atLive = true;
    this.state = "idle";
    this.engine = this.options.engine !== "auto" ? this.options.engine
      : mediaSourceClass() ? "mse"
        : video.canPlayType("application/vnd.apple.mpegurl") ? "native" : "none";
    this.stall = { lastTime: -1, movedAt: performance.now(), since: undefined };
    this.lastLatencyEvent = 0;
    this.lastTrim = 0;
    this.timer = setInterval(() => this.tick(), TICK);
    this.onVideo = {
      waiting: () => { if (this.session?.firstFrame) this.status("buffering"); },
      playing: () => this.status("playing"),
      error: () => this.mediaError(),
      ended: () => this.status("ended"),
    };
    for (const [type, fn] of Object.entries(this.onVideo)) video.addEventListener(type, fn);
    const reports = this.options.reports;
    if (reports) this.reporter = new QualityReporter(this, typeof reports === "string" ? reports : this.origins.url("player/beacon"));
  }

  /** Adds a listener; returns the function that removes it. */
  on(type, listener) {
    const wrapped = (event) => listener(event.detail, event);
    this.addEventListener(type, wrapped);
    return () => this.removeEventListener(type, wrapped);
  }

  emit(type, detail) {
    if (type === "firstframe") this.lastFirstFrame = { ...detail, at: performance.now() };
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  log(message) {
    if (this.options.debug) console.debug(`[antenne] ${message}`);
  }

  status(state, error) {
    if (state === this.state) return;
    this.state = state;
    this.emit("status", { state, channel: this.source?.channel, status: error?.status });
  }

  /** The channel name or URL playing now. */
  get channel() { return this.source?.channel; }
  get levels() { return this.session?.levels ?? []; }
  get level() { return this.session?.level; }

  /** The audio languages of the stream playing: `{ index, language, name, label, isDefault }`
   *  each (`label` in the viewer's language where the browser knows the code); empty with one
   *  audio track or none known. */
  get audioTracks() {
    const tracks = this.session?.audioTracks ?? [];
    return tracks.map(({ index, language, name, isDefault }) => ({ index, language, name, label: languageLabel(language, name), isDefault }));
  }

  /** The index of the audio track playing (of `audioTracks`). */
  get audioTrack() { return this.session?.audioIndex; }

  /** Plays audio track `index` without stopping the video: the new language is heard a moment
   *  later (what is buffered ahead plays out first). Its language is kept for the next channels.
   *  Resolves once the new track is loading; `audioswitch` says so too. */
  setAudioTrack(index) {
    const track = this.session?.audioTracks?.[index];
    if (!track) return Promise.reject(new RangeError(`no audio track ${index}`));
    if (track.language) this.audioLanguage = track.language;
    return this.session.selectAudio(index);
  }

  /** Follows the distance the stream asks for when the page chose no target latency: a
   *  low-latency HLS stream's PART-HOLD-BACK when less than the default (`holdBack`), a DASH
   *  stream's target (`target`: ServiceDescription, or suggestedPresentationDelay). */
  followStream({ holdBack, target } = {}) {
    const wanted = target ?? (holdBack > 0 ? Math.min(DEFAULTS.targetLatency, holdBack) : undefined);
    if (this.latencyChosen || !(wanted > 0)) return;
    this.options.targetLatency = wanted;
    this.controller.targetLatency = wanted;
    this.controller.maxLatency = Math.max(this.controller.maxLatency, wanted + 6);
  }

  /** Seconds behind the live edge (undefined before playback starts). */
  get latency() {
    const edge = this.session?.liveEdge();
    return edge === undefined ? undefined : edge - this.video.currentTime;
  }

  /** Seconds between the frame on screen and now, from EXT-X-PROGRAM-DATE-TIME. */
  get wallLatency() { return this.session?.wallLatency(); }

  /** What `seek` can reach, as `{ start, end }` in the time of `video.currentTime`: the live
   *  window (with `dvr`, the archive before it too), or all of a start-over, catch-up or VOD;
   *  undefined before playback starts. */
  get seekable() {
    if (this.session) return this.session.window();
    const r = this.video.seekable;
    return r.length ? { start: r.start(0), end: r.end(r.length - 1) } : undefined;
  }

  /** Whether the stream has a live edge to go back to (false for a playlist that ends). */
  get isLive() {
    const pl = this.session?.primary?.playlist;
    return pl ? !pl.endList : this.video.duration === Infinity;
  }

  /** The multivariant playlist (or with `format` "dash", the MPD) of a channel on the current
   *  base URL, with the archive `query` (`dvr`, `start`, `end`) it asks for. */
  channelURL(channel, { dvr, start, end } = {}) {
    const name = encodeURIComponent(channel);
    const path = this.options.format === "dash" ? `dash/${name}/manifest.mpd` : `hls/${name}/master.m3u8`;
    const url = new URL(this.origins.url(path));
    if (dvr) url.searchParams.set("dvr", String(Math.round(dvr)));
    if (start !== undefined) url.searchParams.set("start", isoTime(start));
    if (end !== undefined) url.searchParams.set("end", isoTime(end));
    return url.href;
  }

  /**
   * Plays a channel (a name: `hls/{name}/master.m3u8` on the chosen base URL, or
   * `dash/{name}/manifest.mpd` with the `format` option "dash") or the multivariant playlist or
   * MPD at a URL. `token` is carried to every request. For a channel, `dvr`
   * (seconds) asks for that much archive before the live window, `start` (a `Date`, Unix ms or
   * ISO 8601) for a start-over, and `start` with `end` for a catch-up.
   */
  load(source, { token = this.options.token, zap = false, dvr = this.options.dvr, start, end } = {}) {
    const startedAt = performance.now();
    const isURL = /^(https?:)?\/\/|^\/|\.(m3u8|mpd)(\?|$)/.test(source);
    const channel = isURL ? undefined : source;
    const url = isURL ? new URL(source, globalThis.location?.href).href : this.channelURL(source, { dvr, start, end });
    this.stop();
    this.captions.clear();
    this.source = { input: source, channel: channel ?? source, url, token, range: { dvr, start, end } };
    this.atLive = true;
    this.controller.rate = 1;
    this.video.playbackRate = 1;
    this.status("connecting");
    if (this.engine === "native" && !isMPD(url)) return this.loadNative(url, token, channel ?? source, startedAt, zap);
    if (this.engine !== "mse") {
      const error = new Error(`this browser plays neither Media Source Extensions nor ${isMPD(url) ? "DASH" : "HLS"}`);
      this.emit("error", { kind: "unsupported", message: error.message, fatal: true });
      return Promise.reject(error);
    }
    const session = new Session(this, { url, channel: channel ?? source, token, startedAt, zap });
    this.session = session;
    session.start().catch((error) => {
      if (error instanceof HttpError && error.refused) session.settle.reject(error);
      this.failed(session, error);
    });
    return session.ready;
  }

  /** Changes channel without reloading the page: like `load`, timed as a zap. */
  zap(channel, options = {}) {
    return this.load(channel, { ...options, zap: true });
  }

  /** The browser's own HLS: resolves at the first frame, like a session. */
  async loadNative(url, token, channel, startedAt, zap) {
    // The browser's player does not say why a playlist failed: ask first, for the refusals.
    try {
      await get(withToken(url, token), { as: "text", timeout: 10_000 });
    } catch (error) {
      this.failed(undefined, error);
      throw error;
    }
    const first = new Promise((resolve) => {
      const onFrame = () => {
        const detail = { channel, url, zap, elapsed: performance.now() - startedAt };
        this.emit("firstframe", detail);
        resolve(detail);
      };
      if (typeof this.video.requestVideoFrameCallback === "function") this.video.requestVideoFrameCallback(onFrame);
      else this.video.addEventListener("playing", onFrame, { once: true });
    });
    this.video.src = withToken(url, token);
    if (this.options.autoplay) this.play();
    return first;
  }

  failed(session, error) {
    if (session && session !== this.session) return;
    if (error?.name === "AbortError") return;
    if (error instanceof HttpError && error.refused) {
      this.stop();
      this.status("error", error);
      this.emit("error", { kind: "refused", status: error.status, message: error.message, fatal: true });
      return;
    }
    this.log(`error: ${error?.message}`);
    this.emit("error", { kind: error instanceof HttpError ? "network" : "media", status: error?.status, message: error?.message, fatal: false });
    this.status("reconnecting", error);
    this.restartLater();
  }

  mediaError() {
    if (!this.source || this.video.error === null) return;
    this.failed(this.session, new Error(`media error ${this.video.error.code}: ${this.video.error.message}`));
  }

  restartLater() {
    clearTimeout(this.restartTimer);
    const source = this.source;
    this.restartTimer = setTimeout(() => {
      if (this.source === source) this.load(source.input, { token: source.token, ...source.range });
    }, RESTART_AFTER);
  }

  stop() {
    clearTimeout(this.restartTimer);
    this.session?.stop();
    this.session = undefined;
    this.stall = { lastTime: -1, movedAt: performance.now(), since: undefined };
  }

  play() {
    return this.video.play().catch((error) => {
      // Autoplay policies let a muted video start on its own.
      if (error.name === "NotAllowedError" && !this.video.muted) {
        this.video.muted = true;
        this.emit("muted", {});
        return this.video.play().catch(() => {});
      }
      return undefined;
    });
  }

  pause() { this.video.pause(); }

  /**
   * Plays from `time` (as `video.currentTime`), kept within `seekable`: at once where it is
   * buffered, else from the segment that holds it (resolves once the loaders are there). Behind
   * the live edge the playback rate is left alone until `goLive()`.
   */
  seek(time) {
    const s = this.session;
    const range = this.seekable;
    if (!range) { this.video.currentTime = time; return Promise.resolve(); }
    const at = Math.min(Math.max(time, range.start), range.end - SEEK_END_MARGIN);
    this.log(`seek to ${at.toFixed(2)} in ${range.start.toFixed(2)}–${range.end.toFixed(2)}`);
    this.atLive = this.isLive && range.end - at < this.options.targetLatency + NEAR_LIVE;
    if (!s || this.isBuffered(at)) { this.video.currentTime = at; return Promise.resolve(); }
    return s.reposition(at);
  }

  /** Back to the target distance from the live edge: a jump within what is buffered, else the
   *  tracks start again from the live edge; from a start-over, the channel's live stream.
   *  Nothing to do on a playlist that ends. */
  goLive() {
    if (!this.isLive) return Promise.resolve();
    // A start-over of a channel: its live stream (the EVENT playlist has no parts to be close
    // to the edge with).
    const source = this.source;
    if (this.session?.fromStart && source?.range?.start !== undefined && source.channel === source.input) {
      return this.load(source.input, { token: source.token, dvr: source.range.dvr }).then(() => undefined);
    }
    this.atLive = true;
    this.controller.rate = 1;
    if (this.video.paused) this.play();
    const s = this.session;
    const range = this.seekable;
    if (!range) return Promise.resolve();
    const at = range.end - this.options.targetLatency;
    if (!s || this.isBuffered(at)) { this.video.currentTime = at; return Promise.resolve(); }
    // The tracks are at the edge already (the playback rate closes the distance).
    const appended = s.primary?.nextTime;
    if (appended !== undefined && appended >= at - NEAR_LIVE && this.isBuffered(this.video.currentTime)) return Promise.resolve();
    return s.reposition(at, { live: true });
  }

  /** The media element's seekable range follows the playlist's window, so that a position not
   *  buffered yet can be seeked to (MSE §2.4.7 setLiveSeekableRange). */
  updateSeekable() {
    const ms = this.session?.mediaSource;
    const range = this.session?.window();
    if (!ms || !range || ms.readyState !== "open" || typeof ms.setLiveSeekableRange !== "function") return;
    ms.setLiveSeekableRange(Math.max(0, range.start), Math.max(0, range.end));
  }

  destroy() {
    this.reporter?.stop();
    this.stop();
    clearInterval(this.timer);
    clearInterval(this.warmTimer);
    for (const [type, fn] of Object.entries(this.onVideo)) this.video.removeEventListener(type, fn);
    this.video.removeAttribute("src");
    this.video.load();
    this.source = undefined;
  }

  tick() {
    const s = this.session;
    if (!s?.started) return;
    const v = this.video;
    const now = performance.now();
    // Before the first frame, a playhead left short of the media (a browser that dropped the
    // start position) is moved to it.
    if (!s.firstFrame && s.started && v.readyState >= 1 && v.buffered.length && v.currentTime < v.buffered.start(0)) s.seekToStart();
    // A seek to a segment's start waits just short of its media (the first frame is presented
    // a little after the segment starts, B-frames): onto it.
    if (v.seeking && !this.isBuffered(v.currentTime)) this.stepOverHole(v);
    // The first frame was the key frame the stream starts on: now to the target distance.
    if (s.firstFrame && !s.caughtUp && !v.seeking) s.caughtUp = s.catchUp() || now - s.catchUpSince > CATCH_UP_WITHIN;
    this.watchStall(v, now);
    this.updateSeekable();
    const edge = s.liveEdge();
    if (edge === undefined) return;
    const latency = edge - v.currentTime;
    if (this.atLive && !v.paused && !v.seeking && v.readyState >= 3) {
      const { rate, seekBy } = this.controller.update(latency);
      if (seekBy && this.isBuffered(v.currentTime + seekBy)) v.currentTime += seekBy;
      if (v.playbackRate !== rate) v.playbackRate = rate;
    } else if (!this.atLive && v.playbackRate !== 1) {
      v.playbackRate = 1;
    }
    if (now - this.lastLatencyEvent >= 1000 && s.firstFrame) {
      this.lastLatencyEvent = now;
      const end = s.primary.buffer?.bufferedEnd(v.currentTime);
      this.emit("latency", {
        latency, wallLatency: s.wallLatency(), rate: v.playbackRate,
        buffer: end === undefined ? 0 : end - v.currentTime, level: s.level, estimate: this.throughput.estimate,
      });
    }
    if (now - this.lastTrim > 5000) {
      this.lastTrim = now;
      for (const l of s.loaders) l.buffer?.trim(v.currentTime).catch(() => {});
    }
  }

  isBuffered(time) {
    const ranges = this.video.buffered;
    for (let i = 0; i < ranges.length; i += 1) if (time >= ranges.start(i) && time < ranges.end(i)) return true;
    return false;
  }

  /** A playhead that does not move while it should: a stall (reported), and a hole in the
   *  buffer stepped over. */
  watchStall(v, now) {
    const t = v.currentTime;
    const st = this.stall;
    const wanted = !v.paused && !v.seeking && !v.ended && this.session.firstFrame;
    if (t !== st.lastTime || !wanted) {
      if (st.since !== undefined && t !== st.lastTime) {
        this.emit("stall", { state: "end", duration: (now - st.since) / 1000 });
        st.since = undefined;
      }
      st.lastTime = t;
      st.movedAt = now;
      return;
    }
    if (now - st.movedAt < STALL_AFTER) return;
    if (st.since === undefined) {
      st.since = st.movedAt;
      this.emit("stall", { state: "start", at: t });
    }
    this.stepOverHole(v);
  }

  /** To the start of the buffered range a short hole ahead of the playhead, if there is one. */
  stepOverHole(v) {
    const t = v.currentTime;
    const ranges = v.buffered;
    for (let i = 0; i < ranges.length; i += 1) {
      const start = ranges.start(i);
      if (start > t && start - t <= MAX_HOLE) {
        this.log(`stepping over a hole ${t.toFixed(3)} → ${start.toFixed(3)}`);
        v.currentTime = start + 0.01;
        return;
      }
    }
  }

  /** A neighbour's prefetched media playlist (`{ playlist, at }`), if recent. */
  warmPlaylist(url) {
    const entry = this.playlists?.get(url);
    return entry && performance.now() - entry.at < WARM_PLAYLIST_MS ? entry : undefined;
  }

  /** The prefetched multivariant playlist of `url`, if recent. */
  warmMaster(url) {
    const entry = this.masters.get(url);
    return entry && performance.now() - entry.at < WARM_MASTER_MS ? entry.master : undefined;
  }

  /**
   * Keeps the given channels ready for a quick change: their multivariant playlists, the init
   * segments of the lowest rung and of the audio, and the newest key-frame part of each.
   */
  prefetch(channels) {
    this.warmList = channels;
    clearInterval(this.warmTimer);
    const run = () => {
      // Not before the channel playing now shows its first frame: that comes first.
      if (!this.session?.firstFrame) return;
      for (const c of this.warmList) this.warm(c).catch((e) => this.log(`prefetch ${c}: ${e.message}`));
    };
    run();
    this.warmTimer = setInterval(run, WARM_EVERY);
  }

  async warm(channel) {
    // A DASH channel starts from its MPD: nothing of HLS to keep warm for it.
    if (this.engine !== "mse" || this.options.format === "dash") return;
    const url = this.origins.url(`hls/${encodeURIComponent(channel)}/master.m3u8`);
    let master = this.warmMaster(url);
    if (!master || performance.now() - this.masters.get(url).at > WARM_MASTER_MS / 2) {
      const response = await get(url, { as: "text", timeout: 5000 });
      master = parseMultivariant(response.text, response.url);
      this.masters.set(url, { master, at: performance.now() });
    }
    const Source = mediaSourceClass();
    const { levels, audioURI } = tracksOf(master, (mime) => Source.isTypeSupported(mime));
    const uris = [levels[0]?.uri, audioURI].filter(Boolean);
    this.playlists ||= new Map();
    const playlists = await Promise.all(uris.map(async (u) => {
      const response = await get(u, { as: "text", timeout: 5000 });
      const playlist = parseMedia(response.text, response.url);
      this.playlists.set(u, { playlist, at: performance.now() });
      return playlist;
    }));
    const start = liveStart(playlists[0], this.options.targetLatency);
    if (!start) return;
    const starts = [{ msn: start.msn, part: Math.max(0, start.part) }];
    if (playlists[1]) starts.push(alignedStart(playlists[0], starts[0], playlists[1]));
    await Promise.all(playlists.map(async (pl, i) => {
      const seg = pl.segments.find((s) => s.msn === starts[i].msn);
      if (!seg) return;
      if (seg.map) await this.cache.init(seg.map.uri, () => get(seg.map.uri, { timeout: 5000 }).then((r) => r.bytes));
      const item = starts[i].part === 0 && seg.complete ? seg : seg.parts[starts[i].part];
      if (item && !this.cache.has(item.uri)) this.cache.put(item.uri, (await get(item.uri, { timeout: 5000 })).bytes);
    }));
  }
}
