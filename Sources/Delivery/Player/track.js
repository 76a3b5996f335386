// One track (video or audio) of a live stream into its SourceBuffer: reloads the window of its
// rendition from the session's source (an LL-HLS media playlist, or a DASH representation in the
// same model), fetches parts and segments in order (a preload-hinted part ahead of time, RFC
// 8216bis §6.2.6; a DASH segment read chunk by chunk while it is written), follows
// discontinuities and gaps, and moves to another rendition at a segment boundary when the session
// asks. Behind the live edge (DVR, start-over, VOD) it buffers at most `FORWARD_BUFFER` ahead of
// the playhead and keeps its playlist fresh.

import { ClearKey, KEY_IN_INIT, fragmentProtection, initProtection, keyedInit, sameProtection } from "./clearkey.js";
import { decryptMedia } from "./decrypt.js";
import { HttpError } from "./net.js";
import * as mp4 from "./mp4.js";

/** Retry delays after failed requests, in seconds: 404/503 while a stream starts or an encoder
 *  reconnects, network errors while an origin restarts. */
export const BACKOFF = [0.25, 0.5, 1, 2, 4];
/** Consecutive failures after which the session is told (it may move to another origin). */
export const FAILURES_BEFORE_TROUBLE = 3;
/** Media fetched ahead of the playhead at most, in seconds: behind the live edge the playlist
 *  may list hours ahead, and a SourceBuffer holds a few minutes of HD at best (Chromium's quota
 *  is 150 MB for video). */
export const FORWARD_BUFFER = 30;
/** Seconds of buffer a fetch from peers must leave: what HTTP needs after them, and a margin
 *  for the playhead. */
const PEER_SAFETY = 1;
/** Longest a fetch waits on peers, in ms, however much is buffered. */
const MAX_PEER_BUDGET = 6000;
/** How often a playlist is asked again while the track is not waiting at the live edge, in
 *  target durations (§6.3.4 asks for a reload at least every target duration). */
const REFRESH_EVERY = 1;

/** An AbortController that is aborted with `parent` too. */
export function linkedController(parent) {
  const controller = new AbortController();
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener("abort", () => controller.abort(parent.reason), { once: true, signal: controller.signal });
  return controller;
}

export function sleep(seconds, signal) {
  return new Promise((resolve, reject) => {
    const abort = () => { clearTimeout(timer); reject(signal.reason); };
    const timer = setTimeout(() => { signal?.removeEventListener("abort", abort); resolve(); }, seconds * 1000);
    signal?.addEventListener("abort", abort, { once: true });
  });
}

export class TrackLoader {
  /**
   * @param session what the loader asks of its player session (see session.js)
   * @param kind "video" or "audio"
   * @param buffer a BufferQueue
   * @param url the media playlist
   */
  constructor(session, kind, buffer, url) {
    this.session = session;
    this.kind = kind;
    this.buffer = buffer;
    this.url = url;
    this.playlist = undefined;
    this.receivedAt = 0;
    this.cursor = undefined;
    this.initURI = undefined;
    this.timescale = undefined;
    this.sequence = undefined;
    this.nextTime = undefined;
    this.hints = new Map();
    this.failures = 0;
    this.ended = false;
  }

  /** The signal of the run going on (a session's loaders are stopped and run again when they
   *  move elsewhere in the window). */
  get signal() { return this.runSignal ?? this.session.signal; }

  /** Before running again from a new cursor (the session moved it): nothing of the previous
   *  position is kept but the playlist and the init segment in the SourceBuffer. */
  restart() {
    this.runSignal = undefined;
    this.hints.clear();
    this.sequence = undefined;
    this.nextTime = undefined;
    this.failures = 0;
    this.ended = false;
  }

  /** Seconds buffered ahead of the playhead by this track. */
  ahead() {
    return this.nextTime === undefined ? 0 : this.nextTime - this.session.currentTime;
  }

  /** Milliseconds a fetch may spend on peers: what is buffered ahead, less a margin. */
  peerBudget() {
    return Math.max(0, Math.min(MAX_PEER_BUDGET, (this.ahead() - PEER_SAFETY) * 1000));
  }

  /** Loads the window of the rendition; with `block` (`{ msn, part }`) until that part exists
   *  (or a later one) where the source can wait for it. */
  async reload(block) {
    const playlist = await this.session.source.playlist(this, block);
    this.playlist = playlist;
    this.receivedAt = performance.now();
    return playlist;
  }

  /** Seconds of media listed from the cursor on: what could be fetched right now. */
  listedAhead() {
    const pl = this.playlist;
    if (!pl || !this.cursor) return 0;
    const { msn, part } = this.cursor;
    let seconds = 0;
    for (const seg of pl.segments) {
      if (seg.msn < msn) continue;
      if (seg.msn > msn || part === 0) seconds += seg.duration;
      else seconds += seg.parts.slice(part).reduce((sum, p) => sum + p.duration, 0);
    }
    return seconds;
  }

  /** What to do next from the playlist and the cursor. */
  step() {
    const pl = this.playlist;
    const { msn, part } = this.cursor;
    const first = pl.segments.length ? pl.segments[0].msn : pl.mediaSequence;
    const seg = pl.segments[msn - first];
    if (!seg) {
      if (msn < first) return { type: "behind" };
      return pl.endList ? { type: "ended" } : { type: "wait" };
    }
    if (seg.gap) return { type: "gap", seg };
    if (part === 0 && seg.complete) return { type: "segment", seg };
    // The P2P preset takes whole segments only: every peer then holds the same objects.
    if (this.session.segmentsOnly && !seg.complete) return { type: "wait" };
    if (seg.parts[part]) return { type: "part", seg, part: seg.parts[part] };
    if (seg.complete) {
      // Parts older than a few target durations leave the playlist (§6.2.2): the whole segment
      // then, its start appended again over what is there.
      if (seg.parts.length === 0) return { type: "segment", seg };
      this.cursor = { msn: msn + 1, part: 0 };
      return { type: "again" };
    }
    return { type: "wait" };
  }

  /** Runs (`run`) on a signal of its own, aborted with the session's run or by `stop`: the
   *  session may stop this track alone (a switch of audio language). Returns the run. */
  start() {
    this.controller = linkedController(this.session.signal);
    this.runSignal = this.controller.signal;
    this.running = this.run();
    return this.running;
  }

  /** Stops this track's run; `running` settles once it has. */
  stop() {
    this.controller?.abort(new DOMException("track stopped", "AbortError"));
  }

  /** Fetches and appends until stopped, the stream ends or a refusal. */
  async run() {
    this.runSignal ??= this.session.signal;
    while (!this.signal.aborted) {
      try {
        if (!this.playlist) await this.reload();
        if (this.ahead() > FORWARD_BUFFER) { await sleep(1, this.signal); continue; }
        if (!this.playlist.endList && performance.now() - this.receivedAt > REFRESH_EVERY * (this.playlist.targetDuration || 2) * 1000) {
          await this.reload();
        }
        if (this.cursor.part === 0 && await this.switchIfAsked()) continue;
        const action = this.step();
        switch (action.type) {
          case "again": continue;
          case "wait": await this.waitForNext(); break;
          case "behind":
            // Fallen out of the window: the session starts both tracks again.
            this.session.log(`${this.kind}: behind the window at ${this.cursor.msn}`);
            this.session.fellBehind();
            return;
          case "ended":
            this.ended = true;
            this.session.trackEnded(this);
            return;
          case "gap":
            // §4.4.4.7: no media there. Leave a hole; the session steps over it.
            if (this.nextTime !== undefined) this.nextTime += action.seg.duration;
            this.cursor = { msn: action.seg.msn + 1, part: 0 };
            break;
          default:
            await this.load(action);
        }
        this.failures = 0;
      } catch (error) {
        if (this.signal.aborted) return;
        if (error instanceof HttpError && error.refused) { this.session.fatal(error); return; }
        if (error.name === "QuotaExceededError" || error.message === "SourceBuffer error") { this.session.fatal(error); return; }
        this.failures += 1;
        this.session.log(`${this.kind}: ${error.message} (failure ${this.failures})`);
        if (this.failures >= FAILURES_BEFORE_TROUBLE) this.session.trouble(this, error);
        try {
          await sleep(BACKOFF[Math.min(this.failures, BACKOFF.length) - 1], this.signal);
          // Learn where the stream is now (it may have ended, or the part is gone).
          await this.reload();
        } catch (again) {
          if (this.signal.aborted) return;
          if (again instanceof HttpError && again.refused) { this.session.fatal(again); return; }
        }
      }
    }
  }

  /** Until the item at the cursor may be there, and the playlist asked again (the source knows
   *  how: a blocking reload, or the availability time of the next segment). */
  waitForNext() { return this.session.source.waitForNext(this); }

  /** Sleeps `seconds`, unless the run stops first. */
  pause(seconds) { return sleep(seconds, this.signal); }

  /** Before the first part of a segment: another rendition if the session asks for one. */
  async switchIfAsked() {
    const url = this.session.renditionFor(this);
    if (!url || url === this.url) return false;
    const previous = { url: this.url, playlist: this.playlist };
    this.url = url;
    this.playlist = undefined;
    try {
      await this.reload(this.cursor);
    } catch (error) {
      Object.assign(this, previous);
      this.session.pendingLevel = undefined;
      throw error;
    }
    this.hints.clear();
    this.session.switched(this);
    return true;
  }

  /** The element's Clear Key CDM (clearkey.js), made once per player; its keys are fetched
   *  with the current session's token. */
  clearKey() {
    const player = this.session.player;
    player.clearKey ??= new ClearKey(this.session.video);
    player.clearKey.fetchBytes = (uri) => this.session.fetchCached(uri);
    return player.clearKey;
  }

  /** Before `bytes` of `seg` are appended: under `cbcs` (`SAMPLE-AES`, or the MPD's Clear Key
   *  protection), the CDM has the keys of their fragments; where the browser takes a sample's
   *  key from the init segment alone (clearkey.js, `KEY_IN_INIT`), the SourceBuffer has an init
   *  segment naming their key. `bytes` start with a fragment: a segment, a part, or a CMAF
   *  chunk of one (the key period changes between segments only). */
  async unlock(bytes, seg) {
    if (seg.key?.method !== "SAMPLE-AES") return;
    await this.clearKey().ensure(bytes, seg.key.uri);
    if (!KEY_IN_INIT || !this.initBytes) return;
    const protection = fragmentProtection(bytes);
    if (!protection || sameProtection(protection, this.initKey)) return;
    const keyed = keyedInit(this.initBytes, protection);
    if (!keyed) return;
    await this.buffer.append(keyed);
    this.initKey = protection;
  }

  async ensureInit(seg) {
    if (!seg.map || seg.map.uri === this.initURI) return;
    const init = await this.session.fetchCached(seg.map.uri, seg.map.byteRange);
    if (seg.key?.method === "SAMPLE-AES") {
      // The MediaKeys go on the element before the first protected init segment is appended.
      const mime = (kind) => { const l = this.session.loaders.find((x) => x.kind === kind); return l && this.session.mimeFor(l); };
      await this.clearKey().attach(mime("video"), mime("audio"));
    }
    await this.buffer.changeType(this.session.mimeFor(this));
    await this.buffer.append(init);
    this.timescale = mp4.timescale(init) || this.timescale;
    if (this.kind === "video") this.nalFormat = mp4.nalFormat(init);
    this.initURI = seg.map.uri;
    this.initBytes = init;
    this.initKey = initProtection(init);
  }

  /** The bytes of a part or segment: one piece fetched whole (from a preload hint, the cache,
   *  peers or HTTP) and decrypted if its segment has a key, or the chunks of one `streamed` as
   *  the server writes it. */
  async* pieces(item, seg) {
    if (item.streamed) {
      for await (const chunk of this.session.streamMedia(item.uri, this.kind)) {
        await this.unlock(chunk, seg);
        yield chunk;
      }
      return;
    }
    let bytes;
    const hinted = this.hints.get(item.uri);
    if (hinted) {
      this.hints.delete(item.uri);
      bytes = await hinted.catch(() => undefined);
    }
    bytes ??= await this.session.fetchMedia(item.uri, item.byteRange, this.kind, this.peerBudget());
    await this.unlock(bytes, seg);
    yield await decryptMedia(bytes, seg, (uri) => this.session.fetchCached(uri));
  }

  /** Whether media starting at `start` (its own time) is where the window puts segment `seg` on
   *  the timeline playing: an item announced before it is written may turn out to be another. */
  continues(seg, start) {
    const expected = this.session.timeOf(seg.msn);
    if (expected === undefined || start === undefined || seg.discontinuitySequence !== this.sequence) return true;
    return Math.abs(start + this.buffer.sb.timestampOffset - expected) < Math.max(1, seg.duration);
  }

  /** Hands the captions in a video fragment to the player's (captions.js). A fragment whose
   *  boxes do not add up still plays: its captions are skipped and the player logs why. */
  readCaptions(bytes) {
    try {
      this.session.player.captions.append(bytes, { timescale: this.timescale, offset: this.buffer.sb.timestampOffset, ...this.nalFormat });
    } catch (error) {
      this.session.log(`captions: ${error.message}`);
    }
  }

  async load(action) {
    const { seg, part } = action;
    await this.ensureInit(seg);
    const item = part || seg;
    const offsetInSegment = part ? seg.parts.slice(0, part.index).reduce((sum, x) => sum + x.duration, 0) : 0;
    let presented;
    for await (const bytes of this.pieces(item, seg)) {
      if (this.signal.aborted) return;
      const start = mp4.startTime(bytes, this.timescale);
      if (presented === undefined && item.streamed && !this.continues(seg, start)) {
        // Not the segment the window announced: an encoder reconnect began a new timeline
        // (Period) under this number. Asked for whole once the manifest lists it there.
        this.session.log(`${this.kind}: ${item.uri} starts another timeline`);
        this.session.source.notYet?.(item.uri);
        await this.reload();
        return;
      }
      if (presented === undefined && seg.discontinuitySequence !== this.sequence) {
        // A new timeline (an encoder reconnect, a new Period): where the playlist's durations put
        // it, from what is buffered.
        const offset = this.session.offsetFor(seg.discontinuitySequence, () => {
          const expected = this.session.timeOf(seg.msn) ?? this.nextTime;
          return expected === undefined || start === undefined ? 0 : expected - start;
        });
        await this.buffer.setOffset(offset);
        this.sequence = seg.discontinuitySequence;
      }
      await this.buffer.append(bytes, this.session.currentTime);
      if (this.nalFormat) this.readCaptions(bytes);
      presented ??= start === undefined ? this.nextTime : start + this.buffer.sb.timestampOffset;
      // A whole item ends where the playlist says; one being written, where its chunks so far do.
      this.nextTime = item.streamed ? this.buffer.bufferedEnd() ?? this.nextTime
        : presented === undefined ? undefined : presented + item.duration;
      this.session.appended(this, {
        seg, part, start: presented, end: this.nextTime, offsetInSegment,
        programDateTime: seg.programDateTime === undefined ? undefined : seg.programDateTime + offsetInSegment * 1000,
      });
    }
    if (this.signal.aborted) return;
    this.cursor = part ? { msn: seg.msn, part: part.index + 1 } : { msn: seg.msn + 1, part: 0 };
  }
}
