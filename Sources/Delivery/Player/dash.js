// The DASH side of a session (ISO/IEC 23009-1): a dynamic or static MPD read once for every track
// and asked again as the live edge moves, the server's clock (UTCTiming, §5.8.4.11), each
// representation's window as a media playlist of m3u8.js's model (mpd.js: `mediaPlaylistOf`), the
// wait for the next segment's availability (§5.3.9.5.3), and low-latency DASH: a segment asked for
// while it is written (availabilityTimeOffset, availabilityTimeComplete="false"), its chunks read
// as they come. See hls.js for what a session asks of its source.

import { mediaPlaylistOf, parseMPD, tracksOfMPD } from "./mpd.js";
import { get, withToken } from "./net.js";

/** An MPD this recent (ms) is used again rather than asked for: both tracks reload together. */
const FRESH_MS = 50;
/** Shortest wait before the MPD is asked again for a segment that is late (ms): at most ten
 *  requests a second while the server is behind its own timeline. */
const MIN_WAIT_MS = 100;
/** Early requests refused (404) in a row after which the session asks for whole segments only:
 *  a server that announces them but does not send segments while they are written. */
const MAX_REFUSALS = 3;
/** Refused URIs remembered (not asked for early again): the segments of a few tracks. */
const MAX_REFUSED = 16;
/** The UTCTiming schemes read (§5.8.5.7): an HTTP GET of an ISO 8601 or xs:dateTime date, or the
 *  date in the MPD itself. */
const HTTP_CLOCK = new Set(["urn:mpeg:dash:utc:http-iso:2014", "urn:mpeg:dash:utc:http-xsdate:2014"]);
const DIRECT_CLOCK = "urn:mpeg:dash:utc:direct:2014";

/** `promise`, or the reason of `signal` once it is aborted, whichever comes first. */
function abortable(promise, signal) {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    if (signal.aborted) { reject(signal.reason); return; }
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

/** Whether `url` is an MPD (by its path). */
export function isMPD(url) {
  return /\.mpd$/i.test(new URL(url, globalThis.location?.href).pathname);
}

export class DashSource {
  constructor(session) {
    this.session = session;
    this.mpd = undefined;
    /** When the request of the MPD held was sent (`performance.now()`). */
    this.askedAt = -Infinity;
    this.pending = undefined;
    /** Server clock less the local one, ms. */
    this.clockOffset = 0;
    /** Segments asked for while they are written (low latency), until the server refuses. */
    this.early = true;
    this.refusals = 0;
    this.refused = new Set();
  }

  get peers() { return false; }

  now() { return Date.now() + this.clockOffset; }

  async open(supported) {
    const s = this.session;
    this.askedAt = performance.now();
    this.mpd = await s.fetchManifest((text, url) => parseMPD(text, url));
    await this.syncClock(this.mpd);
    return tracksOfMPD(this.mpd, s.url, supported);
  }

  /** The server's clock, from the first UTCTiming this player reads; the local clock without one. */
  async syncClock(mpd) {
    const s = this.session;
    for (const { scheme, value } of mpd.utcTiming) {
      try {
        if (scheme === DIRECT_CLOCK) {
          const t = Date.parse(value);
          if (Number.isNaN(t)) continue;
          this.clockOffset = t - Date.now();
        } else if (HTTP_CLOCK.has(scheme)) {
          const before = Date.now();
          const response = await get(new URL(value, s.url).href, { as: "text", signal: s.controller.signal, timeout: 5000 });
          const after = Date.now();
          const t = Date.parse(response.text.trim());
          if (Number.isNaN(t)) continue;
          this.clockOffset = t - (before + after) / 2;
        } else {
          continue;
        }
        s.log(`clock: the server is ${this.clockOffset.toFixed(0)} ms ahead`);
        return;
      } catch (error) {
        if (s.stopped) throw error;
        s.log(`clock: ${scheme}: ${error.message}`);
      }
    }
  }

  /** The MPD, asked for again unless the one held (or the one on its way) was asked for at or
   *  after `since` (`performance.now()`). */
  refresh(since, signal) {
    if (this.askedAt >= since) return Promise.resolve(this.mpd);
    if (!this.pending || this.pending.askedAt < since) {
      const s = this.session;
      const askedAt = performance.now();
      const pending = get(withToken(s.rebase(s.url), s.token), { as: "text", signal: s.controller.signal, timeout: 10_000 })
        .then((response) => {
          const mpd = parseMPD(response.text, response.url);
          if (askedAt > this.askedAt) { this.mpd = mpd; this.askedAt = askedAt; }
          return this.mpd;
        })
        .finally(() => { if (this.pending === pending) this.pending = undefined; });
      pending.askedAt = askedAt;
      pending.catch(() => {});
      this.pending = pending;
    }
    return abortable(this.pending, signal);
  }

  /** The window of the loader's representation (`{mpd}#{id}`). */
  async playlist(loader) {
    // A first playlist (a start, a switch of rendition) comes from the MPD held.
    const mpd = await this.refresh(loader.playlist ? performance.now() - FRESH_MS : -Infinity, loader.signal);
    const id = decodeURIComponent(new URL(loader.url).hash.slice(1));
    return mediaPlaylistOf(mpd, id, { now: this.now(), early: this.early, skip: this.refused });
  }

  /**
   * Until the segment at the cursor should be listed: the end of the one being written, or the
   * availability start of the next (its end, less availabilityTimeOffset with low latency); then
   * the MPD again.
   */
  async waitForNext(loader) {
    const pl = loader.playlist;
    const last = pl.segments[pl.segments.length - 1];
    const seg = pl.segments.find((x) => x.msn === loader.cursor.msn);
    let at;
    if (seg) {
      at = seg.programDateTime + seg.duration * 1000;
    } else if (last && loader.cursor.msn === last.msn + 1) {
      const early = pl.lowLatency && this.early ? pl.availabilityTimeOffset : 0;
      at = last.programDateTime + (2 * last.duration - early) * 1000;
    }
    const longest = (this.mpd?.minimumUpdatePeriod || pl.targetDuration || 2) * 1000;
    const wait = at === undefined ? longest : Math.min(longest, Math.max(MIN_WAIT_MS, at - this.now()));
    await loader.pause(wait / 1000);
    await loader.reload();
  }

  /** The live edge is now, on the server's clock (§5.3.9.5.3), as far as the newest segment and
   *  one more reach. */
  sinceLastStart(playlist, last) {
    const since = (this.now() - last.programDateTime) / 1000;
    return Math.max(0, Math.min(since, last.duration + (playlist.targetDuration || last.duration)));
  }

  /** ServiceDescription's Latency@target with low latency (Annex K.3.2); else
   *  suggestedPresentationDelay (§5.3.1.2), since segments come whole. */
  latency(playlist) {
    const mpd = this.mpd;
    if (!mpd || mpd.type !== "dynamic") return {};
    return { target: playlist.lowLatency ? mpd.targetLatency : mpd.suggestedPresentationDelay };
  }

  /** An early request answered 404: that segment comes whole, and after a few such refusals in
   *  a row, every segment, played as far behind as whole segments need. */
  notYet(uri) {
    this.refused.add(uri);
    if (this.refused.size > MAX_REFUSED) this.refused.delete(this.refused.values().next().value);
    this.refusals += 1;
    if (this.refusals >= MAX_REFUSALS && this.early) {
      this.early = false;
      this.session.log("the server does not send segments while they are written: whole segments from now on");
      // As far behind as whole segments need.
      this.session.player.followStream(this.latency({ lowLatency: false }));
    }
  }

  /** A segment read while it was written. */
  streamed() { this.refusals = 0; }
}
