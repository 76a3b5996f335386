// One load of one stream on Media Source Extensions: its manifest (an HLS multivariant playlist
// or a DASH MPD, read by the session's source: hls.js, dash.js), the video and audio tracks with
// their SourceBuffers, where to start, the rendition to play, the timeline of the window (for
// seeking within it: DVR, start-over, catch-up, VOD), and what the player hears of it (first
// frame, level switches, errors, the end).

import { chooseLevel, sizeCap } from "./abr.js";
import { DashSource, isMPD } from "./dash.js";
import { HlsSource, videoMime } from "./hls.js";
import { liveStart } from "./m3u8.js";
import * as mp4 from "./mp4.js";
import { BufferQueue, mediaSourceClass, openMediaSource } from "./mse.js";
import { get, HttpError, stream, withToken } from "./net.js";
import { objectName, P2PAgent, PLAYHEAD_MARGIN_MS } from "./p2p.js";
import { BACKOFF, linkedController, sleep, TrackLoader } from "./track.js";

/** How long an offline channel is asked again, in seconds, once the backoff is used up: what
 *  the watch page always did. */
const OFFLINE_RETRY = 3;
/** Seconds ahead of the playhead where a new audio language starts: what is buffered before
 *  it plays on, so the sound never stops; after it, the new rendition replaces the old. */
export const AUDIO_SWITCH_AHEAD = 0.3;
/** The channel names the server knows: P2P is per channel, by name. */
const CHANNEL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Target durations kept clear of the start of a sliding window (live, DVR): the oldest
 *  segments leave the playlist one per target duration, and a position there would be gone
 *  before its segment is fetched. */
const SLIDING_MARGIN = 3;

/**
 * Where the audio track starts so that it covers the video's start: the same segment (segments
 * of every rendition cover the same media time), the last part that starts at or before the
 * video part's offset in it.
 */
export function alignedStart(videoPlaylist, videoStart, audioPlaylist) {
  const vseg = videoPlaylist.segments.find((s) => s.msn === videoStart.msn);
  const offset = vseg && videoStart.part > 0 ? vseg.parts.slice(0, videoStart.part).reduce((t, p) => t + p.duration, 0) : 0;
  const aseg = audioPlaylist.segments.find((s) => s.msn === videoStart.msn);
  if (!aseg || aseg.parts.length === 0 || offset === 0) return { msn: videoStart.msn, part: 0 };
  let at = 0;
  let part = 0;
  for (let k = 0; k < aseg.parts.length; k += 1) {
    if (at > offset + 0.001) break;
    part = k;
    at += aseg.parts[k].duration;
  }
  return { msn: videoStart.msn, part };
}

/**
 * The cursor where an audio rendition takes over at `time` (media time): in the segment that
 * holds it (segments of every rendition cover the same media time; `timeOf` places them on the
 * video's timeline), the last part that starts at or before it (every audio frame is a sync
 * sample), or the segment's start when its parts are no longer listed. In a segment still being
 * written, the next part to come when `time` is past the listed ones.
 */
export function audioCursorAt(playlist, time, timeOf) {
  for (const seg of playlist.segments) {
    const start = timeOf(seg.msn);
    if (start === undefined) continue;
    if (time < start) return { msn: seg.msn, part: 0 };
    if (seg.complete && time >= start + seg.duration) continue;
    let at = start;
    let part = 0;
    for (let k = 0; k < seg.parts.length; k += 1) {
      if (at > time + 0.001) break;
      part = k;
      at += seg.parts[k].duration;
    }
    if (!seg.complete && at <= time) part = seg.parts.length;
    return { msn: seg.msn, part };
  }
  const last = playlist.segments[playlist.segments.length - 1];
  return { msn: last ? last.msn + 1 : playlist.mediaSequence, part: 0 };
}

export class Session {
  constructor(player, { url, channel, token, startedAt, zap }) {
    this.player = player;
    this.video = player.video;
    this.url = url;
    this.channel = channel;
    this.token = token;
    this.startedAt = startedAt;
    this.zap = zap;
    /** What the stream is read from: its manifest's format. */
    this.source = isMPD(url) ? new DashSource(this) : new HlsSource(this);
    this.controller = new AbortController();
    /** The loaders' run: aborted (and replaced) when they move elsewhere in the window. */
    this.run = linkedController(this.controller.signal);
    this.running = Promise.resolve();
    this.offsets = new Map();
    this.loaders = [];
    this.level = 0;
    this.pendingLevel = undefined;
    this.lastSwitchAt = -Infinity;
    this.started = false;
    this.firstFrame = false;
    this.anchor = undefined;
    /** Where the newest segment the video track appended starts in media time: `{ msn, time }`.
     *  Every other segment's time follows from the playlist's durations (`timeOf`). */
    this.timeline = undefined;
    /** Playlists that end (VOD) or grow from a start (EVENT: start-over) play from their start. */
    this.fromStart = false;
    /** Settles at the first frame (with its `firstframe` detail), on a refusal, or on stop. */
    this.ready = new Promise((resolve, reject) => { this.settle = { resolve, reject }; });
    this.ready.catch(() => {});
  }

  /** The current run's signal: aborted when the session stops or the loaders move. */
  get signal() { return this.run.signal; }
  get stopped() { return this.controller.signal.aborted; }
  get targetLatency() { return this.player.options.targetLatency; }
  get currentTime() { return this.video.currentTime; }
  get primary() { return this.loaders[0]; }
  rebase(url) { return this.player.origins.rebase(url); }
  log(message) { this.player.log(message); }

  stop() {
    this.p2p?.close();
    this.controller.abort(new DOMException("stopped", "AbortError"));
    this.settle.resolve(undefined);
  }

  /** A debug log line with the time since `load` or `zap`. */
  mark(what) { this.log(`${this.channel}: ${what} at ${(performance.now() - this.startedAt).toFixed(1)} ms`); }

  async start() {
    const Source = mediaSourceClass();
    const { levels, audioURI, audioMime, audioTracks = [] } = await this.source.open((mime) => Source.isTypeSupported(mime));
    this.mark("manifest");
    if (levels.length === 0 && !audioURI) throw new HttpError(415, this.url, "no rendition this browser can play");
    this.levels = levels;
    this.audioMime = audioMime;
    this.audioTracks = audioTracks;
    this.audioIndex = this.startAudio(audioTracks, audioURI);
    this.level = this.startLevel(levels);
    this.joinSwarm();
    const opening = openMediaSource(this.video, this.controller.signal);
    opening.catch(() => {});
    if (levels.length) this.loaders.push(new TrackLoader(this, "video", undefined, levels[this.level].uri));
    const audio = audioTracks[this.audioIndex]?.uri ?? audioURI;
    if (audio) this.loaders.push(new TrackLoader(this, "audio", undefined, audio));
    if (audioTracks.length) this.player.emit("audiotracks", { tracks: this.player.audioTracks, current: this.audioIndex });
    // A neighbour kept warm: its playlists of a moment ago, and the parts they start on in the
    // player's cache. The first blocking reload brings them up to date.
    await Promise.all(this.loaders.map((l) => {
      const warm = this.player.warmPlaylist(l.url);
      if (!warm) return l.reload();
      l.playlist = warm.playlist;
      l.receivedAt = warm.at;
      return undefined;
    }));
    this.mark("media playlists");
    const [first, second] = this.loaders;
    const pl = first.playlist;
    this.player.followStream(this.source.latency(pl));
    this.fromStart = pl.endList || pl.type === "EVENT" || pl.type === "VOD";
    if (this.fromStart) this.player.atLive = false;
    const start = (!this.fromStart && liveStart(pl, this.targetLatency)) || { msn: pl.segments[0]?.msn ?? pl.mediaSequence, part: 0 };
    this.place({ msn: start.msn, part: this.segmentsOnly ? 0 : Math.max(0, start.part) });
    // The init segments while the MediaSource opens.
    for (const l of this.loaders) {
      const seg = l.playlist.segments.find((s) => s.msn === l.cursor.msn);
      if (seg?.map) this.fetchCached(seg.map.uri, seg.map.byteRange).catch(() => {});
    }
    this.mediaSource = await opening;
    this.mark("MediaSource open");
    for (const l of this.loaders) {
      const mime = this.mimeFor(l);
      l.buffer = new BufferQueue(this.mediaSource.addSourceBuffer(mime), mime);
    }
    this.watchFirstFrame();
    this.running = Promise.all(this.loaders.map((l) => l.start()));
    await this.running;
  }

  /** The audio track to start with: the language the viewer chose last (or the `audioLanguage`
   *  option), else the stream's default. */
  startAudio(tracks, defaultURI) {
    const wanted = sameLanguage(this.player.audioLanguage ?? this.player.options.audioLanguage);
    const chosen = wanted && tracks.find((t) => sameLanguage(t.language) === wanted);
    if (chosen) return chosen.index;
    return Math.max(0, tracks.findIndex((t) => t.uri === defaultURI));
  }

  /**
   * Plays audio track `index` (of `audioTracks`) from just ahead of the playhead on, while the
   * video plays on: only the audio loader stops; what it buffered from there is removed, and it
   * starts again on the new rendition at the part that covers that time (`audioCursorAt`).
   * Switches are carried out one after the other; resolves once the new one is loading.
   */
  selectAudio(index) {
    const track = this.audioTracks?.[index];
    if (!track) return Promise.reject(new RangeError(`no audio track ${index}`));
    this.switchingAudio = (this.switchingAudio ?? Promise.resolve()).then(() => this.moveAudio(track)).catch((error) => {
      if (!this.signal.aborted) this.log(`audio: switch to ${track.language ?? track.name}: ${error.message}`);
    });
    return this.switchingAudio;
  }

  async moveAudio(track) {
    const loader = this.loaders.find((l) => l.kind === "audio");
    if (!loader || this.stopped || track.index === this.audioIndex) return;
    const from = this.audioIndex;
    this.audioIndex = track.index;
    // A move elsewhere in the window (`reposition`) during the switch starts every loader
    // again itself, on the new URL: the switch then stops there.
    const run = this.run;
    const moved = () => this.stopped || run !== this.run;
    if (loader.running) {
      // Before the MediaSource is open the loader has not run: it starts on the new URL.
      loader.stop();
      await loader.running;
    }
    loader.url = track.uri;
    loader.playlist = undefined;
    if (moved()) return;
    loader.restart();
    await loader.reload();
    if (moved()) return;
    const at = this.currentTime + AUDIO_SWITCH_AHEAD;
    this.mark(`audio to ${track.language ?? track.name} at ${at.toFixed(2)}`);
    if (loader.buffer) {
      loader.cursor = this.timeline ? audioCursorAt(loader.playlist, at, (msn) => this.timeOf(msn))
        : alignedStart(this.primary.playlist, this.primary.cursor, loader.playlist);
      await loader.buffer.remove(at, Infinity);
      if (moved()) return;
      this.running = Promise.all([this.running, loader.start()]);
    }
    this.player.emit("audioswitch", { from, to: track.index, language: track.language, name: track.name });
  }

  /** The tracks' cursors: the video at `start`, the audio where it covers the same media. */
  place(start) {
    const [first, second] = this.loaders;
    first.cursor = start;
    // An audio track between two renditions (a switch of language) has no playlist yet: it
    // starts at the video's place, and loads its playlist first.
    if (second) second.cursor = second.playlist ? alignedStart(first.playlist, start, second.playlist) : { ...start };
  }

  /**
   * Plays from `time` (media time, as `video.currentTime`; undefined: the start of the window)
   * when it is not buffered: the loaders stop, the buffers are emptied, and they start again at
   * the segment holding `time`, or with `live` at the live edge (`liveStart`, §6.3.3). With
   * `refresh`, the playlists are asked again first (a track found its position gone).
   */
  async reposition(time, { live = false, refresh = false } = {}) {
    if (!this.primary?.playlist || this.stopped) return;
    this.run.abort(new DOMException("moved", "AbortError"));
    const previous = this.running;
    const run = this.run = linkedController(this.controller.signal);
    await previous;
    if (this.stopped || run !== this.run) return;
    for (const l of this.loaders) l.restart();
    if (refresh) await Promise.all(this.loaders.map((l) => l.reload()));
    if (this.stopped || run !== this.run) return;
    const pl = this.primary.playlist;
    const at = (live ? liveStart(pl, this.targetLatency) : this.positionAt(time ?? this.window()?.start ?? -Infinity))
      || { msn: pl.segments[0]?.msn ?? pl.mediaSequence, part: 0 };
    this.mark(`to ${at.msn}.${at.part}${live ? " (live)" : ` (${time?.toFixed(2) ?? "the start"})`}`);
    this.place({ msn: at.msn, part: this.segmentsOnly ? 0 : Math.max(0, at.part) });
    // A restart at the live edge starts on a key frame, up to a segment further back than the
    // target: the one jump to the target distance is due again once the media is there.
    if (live) { this.caughtUp = false; this.catchUpSince = performance.now(); }
    // Back to the open state after an end of stream; nothing of the old position stays.
    await Promise.all(this.loaders.map((l) => l.buffer.remove(0, Infinity)));
    if (this.stopped || run !== this.run) return;
    this.player.updateSeekable();
    const target = live || time === undefined ? this.timeOf(at.msn) + this.offsetInSegment(pl, at) : time;
    if (Number.isFinite(target)) this.video.currentTime = target;
    this.running = Promise.all(this.loaders.map((l) => l.start()));
  }

  /** The segment holding `time` (its start: segments start on a key frame), or the first or
   *  last one when `time` is outside the window. */
  positionAt(time) {
    const pl = this.primary.playlist;
    const segments = pl.segments;
    if (segments.length === 0) return undefined;
    let t = this.timeOf(segments[0].msn);
    if (t === undefined) return { msn: segments[0].msn, part: 0 };
    for (const s of segments) {
      if (time < t + s.duration && !s.gap) return { msn: s.msn, part: 0 };
      t += s.duration;
    }
    return { msn: segments[segments.length - 1].msn, part: 0 };
  }

  offsetInSegment(playlist, at) {
    const seg = playlist.segments.find((s) => s.msn === at.msn);
    return seg && at.part > 0 ? seg.parts.slice(0, at.part).reduce((t, p) => t + p.duration, 0) : 0;
  }

  /** The media time segment `msn` of the video playlist starts at, from the newest appended
   *  segment and the durations listed in between; when that segment has left the playlist (a
   *  long pause), from the wall-clock times (EXT-X-PROGRAM-DATE-TIME) of both. */
  timeOf(msn) {
    const a = this.timeline;
    const pl = this.primary?.playlist;
    if (!a || !pl || pl.segments.length === 0) return undefined;
    const first = pl.segments[0].msn;
    const last = pl.segments[pl.segments.length - 1].msn;
    if (msn < first || msn > last + 1) return undefined;
    if (a.msn < first || a.msn > last) {
      const date = pl.segments[msn - first]?.programDateTime;
      return this.anchor && date !== undefined ? this.anchor.time + (date - this.anchor.date) / 1000 : undefined;
    }
    let t = a.time;
    for (let m = Math.min(msn, a.msn); m < Math.max(msn, a.msn); m += 1) {
      t += (msn > a.msn ? 1 : -1) * pl.segments[m - first].duration;
    }
    return t;
  }

  /** What can be seeked to, in media time: from the first listed segment (a few target
   *  durations on, in a window that slides) to the live edge (the end, for a playlist that
   *  ends). */
  window() {
    const pl = this.primary?.playlist;
    const first = pl?.segments.length ? this.timeOf(pl.segments[0].msn) : undefined;
    const end = this.liveEdge();
    if (first === undefined || end === undefined) return undefined;
    const sliding = !pl.endList && pl.type !== "EVENT";
    return { start: Math.min(end, first + (sliding ? SLIDING_MARGIN * (pl.targetDuration || 2) : 0)), end };
  }

  /** A track fell out of the window (a long stall, or a pause behind live longer than the
   *  window reaches): both start again at the live edge, or behind live at the oldest place
   *  the window still holds. Called from a loader's run, which ends. */
  fellBehind() {
    if (this.recovering) return;
    this.recovering = true;
    setTimeout(() => {
      this.recovering = false;
      this.reposition(undefined, { live: this.player.atLive, refresh: true }).catch((error) => {
        if (!this.signal.aborted) this.fatal(error);
      });
    }, 0);
  }

  /** The manifest (`parse(text, url)` of it), asked again with backoff while the channel is
   *  offline (404, 503) or the origin unreachable; a refusal (401, 403, 410) ends the session. */
  async fetchManifest(parse) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const response = await get(withToken(this.rebase(this.url), this.token), { as: "text", signal: this.controller.signal, timeout: 10_000 });
        return parse(response.text, response.url);
      } catch (error) {
        if (this.stopped || (error instanceof HttpError && error.refused)) throw error;
        this.player.status(error.status === 404 || error.status === 503 ? "offline" : "connecting", error);
        if (attempt >= 2 && error.status === 0) this.player.origins.failover();
        await sleep(BACKOFF[attempt] ?? OFFLINE_RETRY, this.controller.signal);
      }
    }
  }

  startLevel(levels) {
    const wanted = this.player.options.startLevel;
    if (typeof wanted === "number") return Math.max(0, Math.min(levels.length - 1, wanted));
    if (wanted === "auto") {
      return chooseLevel({ levels, current: 0, estimate: this.player.throughput.estimate, buffer: 1, target: 1, maxIndex: this.sizeCap() });
    }
    return 0;
  }

  sizeCap() {
    const r = this.video.getBoundingClientRect?.();
    const scale = globalThis.devicePixelRatio || 1;
    return r ? sizeCap(this.levels, r.width * scale, r.height * scale) : this.levels.length - 1;
  }

  mimeFor(loader) {
    return loader.kind === "video" ? videoMime(this.levels[this.pendingLevel ?? this.level])
      : this.audioTracks?.[this.audioIndex]?.mime ?? this.audioMime;
  }

  /** The rendition the video track should play from the next segment on. */
  renditionFor(loader) {
    if (loader.kind !== "video" || !this.firstFrame) return undefined;
    const fixed = this.player.options.level;
    let next;
    if (typeof fixed === "number") {
      next = Math.max(0, Math.min(this.levels.length - 1, fixed));
    } else {
      if (this.levels.length < 2) return undefined;
      const end = loader.buffer.bufferedEnd(this.video.currentTime);
      next = chooseLevel({
        levels: this.levels, current: this.level, estimate: this.player.throughput.estimate,
        buffer: end === undefined ? 0 : end - this.video.currentTime, listed: loader.listedAhead(), target: this.targetLatency,
        sinceSwitch: (performance.now() - this.lastSwitchAt) / 1000, maxIndex: this.sizeCap(),
      });
    }
    if (next === this.level) return undefined;
    this.pendingLevel = next;
    return this.levels[next].uri;
  }

  switched() {
    const from = this.level;
    this.level = this.pendingLevel;
    this.pendingLevel = undefined;
    this.lastSwitchAt = performance.now();
    this.joinSwarm();
    const l = this.levels[this.level];
    this.player.emit("levelswitch", { from, to: this.level, width: l.width, height: l.height, bandwidth: l.bandwidth });
  }

  /** The timestamp offset of discontinuity sequence `sequence`: the first track that gets there
   *  computes it, the other follows, so both stay in sync. The first sequence played keeps the
   *  media's own times. */
  offsetFor(sequence, compute) {
    if (!this.offsets.has(sequence)) this.offsets.set(sequence, this.offsets.size === 0 ? 0 : compute());
    return this.offsets.get(sequence);
  }

  /** Media bytes: from the player's prefetch cache, from peers (P2P) while `budget` (ms to
   *  the deadline) allows, or fetched over HTTP (and timed, for video). Without `budget`, the
   *  object is asked ahead of time (a preload hint): due when the track's buffer ahead runs
   *  out. */
  async fetchMedia(uri, range, kind, budget) {
    const cached = this.player.cache.take(uri);
    if (cached) return cached;
    const http = async () => {
      const response = await get(withToken(this.rebase(uri), this.token), { range, signal: this.signal, timeout: 20_000 });
      if (kind === "video") this.player.throughput.sample(response.bytes.byteLength, (response.doneAt - response.headersAt) / 1000);
      return response.bytes;
    };
    if (!this.p2p || range) return http();
    if (budget !== undefined) return this.p2p.fetch(uri, http, budget);
    const ahead = this.loaders.find((l) => l.kind === kind)?.ahead() ?? 0;
    return this.p2p.fetch(uri, http, Math.max(0, ahead * 1000 - PLAYHEAD_MARGIN_MS), { early: true });
  }

  /** Whole segments only (the P2P preset): every peer holds the same objects. */
  get segmentsOnly() { return !!this.player.options.segmentsOnly; }

  /** With P2P on, the swarm of the video rendition playing (a new one after a switch). */
  joinSwarm() {
    const o = this.player.options;
    if (!o.p2p || !this.source.peers || !CHANNEL_NAME.test(this.channel) || !this.levels?.length) return;
    const rendition = objectName(this.levels[this.level].uri).split("/")[0];
    if (this.p2p?.rendition === rendition) return;
    this.p2p?.close();
    this.p2p = new P2PAgent({
      base: this.player.origins.current, channel: this.channel, rendition, token: this.token,
      upload: o.p2pUpload, uploadRate: o.p2pUploadRate, stats: this.player.p2pStats, throughput: this.player.throughput,
      log: (m) => this.log(m),
    });
    this.p2p.start().catch((error) => this.log(`p2p off: ${error.message}`));
  }

  /** The CMAF chunks of a segment read while the server writes it (low-latency DASH), each as it
   *  is complete. A chunk is sent whole once made, so the time from its first bytes to its last
   *  is the link's, not the encoder's: timed for the throughput estimate (video). An early
   *  request refused (404: segments are sent once complete) is told to the source, which waits
   *  for the segment whole. */
  async* streamMedia(uri, kind) {
    const reader = new mp4.ChunkReader();
    let firstAt;
    try {
      for await (const bytes of stream(withToken(this.rebase(uri), this.token), { signal: this.signal, timeout: 20_000 })) {
        const now = performance.now();
        firstAt ??= now;
        const chunks = reader.push(bytes);
        for (const chunk of chunks) {
          if (kind === "video") this.player.throughput.sample(chunk.byteLength, (now - firstAt) / 1000);
          yield chunk;
        }
        if (chunks.length) firstAt = reader.leftover ? now : undefined;
      }
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) this.source.notYet?.(uri);
      throw error;
    }
    if (reader.leftover) throw new Error(`${uri} ends inside a box`);
    this.source.streamed?.(uri);
  }

  /** Init segments: cached by URI (they never change), shared with prefetching. */
  fetchCached(uri, range) {
    return this.player.cache.init(uri, () =>
      get(withToken(this.rebase(uri), this.token), { range, timeout: 10_000 }).then((r) => r.bytes));
  }

  appended(loader, info) {
    if (loader === this.primary && info.start !== undefined) {
      if (info.programDateTime !== undefined) this.anchor = { time: info.start, date: info.programDateTime };
      this.timeline = { msn: info.seg.msn, time: info.start - (info.offsetInSegment || 0) };
    }
    // Start once every track has media: where they all have some.
    if (this.started || !this.loaders.every((l) => l.nextTime !== undefined)) return;
    this.started = true;
    this.mark(`first appends ${info.seg.msn}.${info.part ? info.part.index : "*"}`);
    // A position set before every track has its init segment may be lost.
    if (this.video.readyState >= 1) this.seekToStart();
    else this.video.addEventListener("loadedmetadata", () => this.seekToStart(), { once: true });
    if (this.player.options.autoplay) this.player.play();
  }

  /** To the key frame the tracks start on: it is on screen as soon as it is decoded. Once it
   *  is, the player jumps once to the target distance from the live edge (`catchUp`). */
  seekToStart() {
    if (this.stopped) return;
    // The media element's ranges are where every track has media: the first frame's
    // presentation time, after the audio's first frame.
    const ranges = this.video.buffered;
    if (ranges.length === 0) return;
    this.mark(`start at ${ranges.start(0).toFixed(3)}, live edge ${this.liveEdge()?.toFixed(2)}`);
    this.video.currentTime = ranges.start(0);
  }

  /** After the first frame: to the target distance from the live edge in one jump, if that is
   *  buffered already and the distance is well over the target. True once done (or not needed). */
  catchUp() {
    if (!this.player.atLive) return true;
    const edge = this.liveEdge();
    if (edge === undefined) return false;
    const at = edge - this.targetLatency;
    if (at - this.video.currentTime < 0.25) return true;
    if (!this.player.isBuffered(at)) return false;
    this.mark(`jump to ${at.toFixed(2)}`);
    this.video.currentTime = at;
    return true;
  }

  /** The live edge in media time: the end of the newest listed part, moving on with the clock
   *  while the next part is being made; the end, for a playlist that ends. */
  liveEdge() {
    const pl = this.primary?.playlist;
    const last = pl?.segments[pl.segments.length - 1];
    const start = last && this.timeOf(last.msn);
    if (start === undefined) return undefined;
    if (pl.endList) return start + last.duration;
    return start + this.source.sinceLastStart(pl, last, this.primary.receivedAt);
  }

  /** Seconds between now and the wall-clock time of the frame on screen
   *  (EXT-X-PROGRAM-DATE-TIME), undefined without it. */
  wallLatency() {
    if (!this.anchor) return undefined;
    return (this.source.now() - (this.anchor.date + (this.video.currentTime - this.anchor.time) * 1000)) / 1000;
  }

  watchFirstFrame() {
    const done = () => {
      if (this.firstFrame || this.stopped) return;
      this.firstFrame = true;
      this.catchUpSince = performance.now();
      this.mark("first frame");
      const l = this.levels[this.level];
      const detail = {
        channel: this.channel, url: this.url, zap: this.zap,
        elapsed: performance.now() - this.startedAt, width: l?.width, height: l?.height,
      };
      this.settle.resolve(detail);
      this.player.emit("firstframe", detail);
    };
    if (typeof this.video.requestVideoFrameCallback === "function" && this.levels.length) {
      this.video.requestVideoFrameCallback(done);
    } else {
      this.video.addEventListener("playing", done, { once: true });
    }
  }

  /** Every track has appended the last segment: the end of the stream, so that the media
   *  element plays to it and ends (the player says `ended` then). */
  trackEnded() {
    if (!this.loaders.every((l) => l.ended)) return;
    if (this.mediaSource?.readyState === "open") {
      Promise.all(this.loaders.map((l) => l.buffer.enqueue(() => false))).then(() => {
        if (this.mediaSource.readyState === "open") this.mediaSource.endOfStream();
      }).catch(() => {});
    }
  }

  fatal(error) {
    if (this.stopped) return;
    this.settle.reject(error);
    this.stop();
    this.player.failed(this, error);
  }

  /** Repeated failures: another origin, if there is one. */
  trouble(loader, error) {
    if (this.player.origins.failover()) this.log(`moving to ${this.player.origins.current} after: ${error.message}`);
  }
}

/** A language code in the form two codes of one language share: "fra", "fre", "FR" and "fr" all
 *  read "fr" (Intl's canonical form, which takes ISO 639-2 codes to ISO 639-1 where one exists). */
export function sameLanguage(code) {
  if (!code) return undefined;
  try {
    return Intl.getCanonicalLocales(code)[0].toLowerCase();
  } catch {
    return code.toLowerCase();
  }
}
