// HLS playlists (RFC 8216bis): the multivariant playlist and live media playlists with the
// low-latency tags (§4.4.4.9 EXT-X-PART, §4.4.5.3 EXT-X-PRELOAD-HINT, §4.4.3.8 EXT-X-SERVER-CONTROL,
// §4.4.5.2 EXT-X-SKIP, §4.4.5.4 EXT-X-RENDITION-REPORT). Pure functions: no I/O.

import { parseKey } from "./decrypt.js";

/** Longest playlist parsed: a 14-day DVR window of 2 s segments with their tags is about 40 MB;
 *  anything longer is not a playlist this player can hold. */
export const MAX_PLAYLIST_CHARS = 64 * 1024 * 1024;

export class PlaylistError extends Error {
  constructor(message, line) {
    super(line === undefined ? message : `${message} (line ${line})`);
    this.name = "PlaylistError";
  }
}

/** An attribute list (§4.2): `KEY=value,KEY="quoted, value"` into a plain object. */
export function parseAttributes(text) {
  const out = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf("=", i);
    if (eq < 0) break;
    const key = text.slice(i, eq).trim();
    let value;
    if (text[eq + 1] === '"') {
      const close = text.indexOf('"', eq + 2);
      if (close < 0) throw new PlaylistError(`unterminated quoted string for ${key}`);
      value = text.slice(eq + 2, close);
      i = close + 1;
    } else {
      const comma = text.indexOf(",", eq + 1);
      value = text.slice(eq + 1, comma < 0 ? text.length : comma);
      i = comma < 0 ? text.length : comma;
    }
    out[key] = value;
    if (text[i] === ",") i += 1;
  }
  return out;
}

function lines(text) {
  if (typeof text !== "string") throw new PlaylistError("not text");
  if (text.length > MAX_PLAYLIST_CHARS) throw new PlaylistError("playlist too long");
  const all = text.split(/\r?\n/);
  if (all[0].replace(/^\uFEFF/, "").trim() !== "#EXTM3U") throw new PlaylistError("missing #EXTM3U", 1);
  return all;
}

function tag(line) {
  const colon = line.indexOf(":");
  return colon < 0 ? [line.slice(1), ""] : [line.slice(1, colon), line.slice(colon + 1)];
}

function resolve(uri, base) {
  return base ? new URL(uri, base).href : uri;
}

function number(value, name, lineNo) {
  const n = Number(value);
  if (value === undefined || value === "" || !Number.isFinite(n)) throw new PlaylistError(`invalid ${name}`, lineNo);
  return n;
}

/** `length[@offset]` (§4.4.4.2): `{ length, offset }`; a missing offset follows `previous`. */
function byteRange(text, previous) {
  const [length, offset] = text.split("@");
  const start = offset !== undefined ? Number(offset) : previous ? previous.offset + previous.length : 0;
  return { length: Number(length), offset: start };
}

/**
 * The multivariant playlist (§4.4.6): `variants` sorted by bandwidth, lowest first, and the
 * audio renditions by group.
 */
export function parseMultivariant(text, base) {
  const all = lines(text);
  const variants = [];
  const audio = {};
  for (let n = 1; n < all.length; n += 1) {
    const line = all[n].trim();
    if (!line.startsWith("#EXT")) continue;
    const [name, value] = tag(line);
    if (name === "EXT-X-STREAM-INF") {
      const a = parseAttributes(value);
      let uri = "";
      while (++n < all.length && (uri = all[n].trim()) && uri.startsWith("#")) { /* skip other tags */ }
      if (!uri) throw new PlaylistError("EXT-X-STREAM-INF without a URI", n);
      const [width, height] = (a.RESOLUTION || "x").split("x").map(Number);
      variants.push({
        bandwidth: number(a.BANDWIDTH, "BANDWIDTH", n),
        averageBandwidth: a["AVERAGE-BANDWIDTH"] ? Number(a["AVERAGE-BANDWIDTH"]) : undefined,
        codecs: a.CODECS ? a.CODECS.split(",").map((c) => c.trim()) : [],
        width: width || undefined,
        height: height || undefined,
        frameRate: a["FRAME-RATE"] ? Number(a["FRAME-RATE"]) : undefined,
        audio: a.AUDIO,
        uri: resolve(uri, base),
      });
    } else if (name === "EXT-X-MEDIA") {
      const a = parseAttributes(value);
      if (a.TYPE !== "AUDIO" || !a.URI) continue;
      (audio[a["GROUP-ID"]] ||= []).push({
        name: a.NAME,
        language: a.LANGUAGE,
        isDefault: a.DEFAULT === "YES",
        channels: a.CHANNELS,
        uri: resolve(a.URI, base),
      });
    }
  }
  if (variants.length === 0) throw new PlaylistError("no variants");
  variants.sort((x, y) => x.bandwidth - y.bandwidth);
  variants.forEach((v, i) => { v.index = i; });
  return { variants, audio };
}

/**
 * A media playlist (§4.4.3 – §4.4.5). Each segment is
 * `{ msn, uri, duration, complete, discontinuity, discontinuitySequence, gap, map, programDateTime, parts, byteRange }`;
 * the segment being written (parts but no EXTINF yet) is the last one, with `complete: false`.
 * Parts are `{ index, uri, duration, independent, gap, byteRange }`.
 * A delta update (`skipped > 0`) must be merged with `applyDelta` before use.
 */
export function parseMedia(text, base) {
  const all = lines(text);
  const p = {
    version: 1, targetDuration: 0, partTarget: 0, mediaSequence: 0, discontinuitySequence: 0,
    type: undefined, endList: false, skipped: 0, serverControl: {}, segments: [], preloadHint: undefined,
    renditionReports: [], independentSegments: false,
  };
  let current = newSegment();
  let map;
  let key;
  let pendingByteRange;
  let discontinuities = 0;
  let lastPartRange;
  let lastSegmentRange;
  for (let n = 1; n < all.length; n += 1) {
    const line = all[n].trim();
    if (!line) continue;
    if (!line.startsWith("#")) {
      current.uri = resolve(line, base);
      if (pendingByteRange) { current.byteRange = pendingByteRange; lastSegmentRange = pendingByteRange; }
      pendingByteRange = undefined;
      finish(true);
      continue;
    }
    if (!line.startsWith("#EXT")) continue;
    const [name, value] = tag(line);
    switch (name) {
      case "EXT-X-VERSION": p.version = number(value, name, n); break;
      case "EXT-X-TARGETDURATION": p.targetDuration = number(value, name, n); break;
      case "EXT-X-MEDIA-SEQUENCE": p.mediaSequence = number(value, name, n); break;
      case "EXT-X-DISCONTINUITY-SEQUENCE": p.discontinuitySequence = number(value, name, n); break;
      case "EXT-X-PLAYLIST-TYPE": p.type = value; break;
      case "EXT-X-ENDLIST": p.endList = true; break;
      case "EXT-X-INDEPENDENT-SEGMENTS": p.independentSegments = true; break;
      case "EXT-X-PART-INF": p.partTarget = number(parseAttributes(value)["PART-TARGET"], "PART-TARGET", n); break;
      case "EXT-X-SERVER-CONTROL": {
        const a = parseAttributes(value);
        p.serverControl = {
          canBlockReload: a["CAN-BLOCK-RELOAD"] === "YES",
          canSkipUntil: a["CAN-SKIP-UNTIL"] ? Number(a["CAN-SKIP-UNTIL"]) : 0,
          holdBack: a["HOLD-BACK"] ? Number(a["HOLD-BACK"]) : undefined,
          partHoldBack: a["PART-HOLD-BACK"] ? Number(a["PART-HOLD-BACK"]) : undefined,
        };
        break;
      }
      case "EXT-X-SKIP": p.skipped = number(parseAttributes(value)["SKIPPED-SEGMENTS"], "SKIPPED-SEGMENTS", n); break;
      case "EXTINF": current.duration = number(value.split(",")[0], "EXTINF", n); current.complete = true; break;
      case "EXT-X-BYTERANGE": pendingByteRange = byteRange(value, lastSegmentRange); break;
      case "EXT-X-DISCONTINUITY": current.discontinuity = true; discontinuities += 1; break;
      case "EXT-X-GAP": current.gap = true; break;
      case "EXT-X-PROGRAM-DATE-TIME": {
        const t = Date.parse(value);
        if (Number.isNaN(t)) throw new PlaylistError("invalid EXT-X-PROGRAM-DATE-TIME", n);
        current.programDateTime = t;
        break;
      }
      case "EXT-X-MAP": {
        const a = parseAttributes(value);
        if (!a.URI) throw new PlaylistError("EXT-X-MAP without URI", n);
        map = { uri: resolve(a.URI, base), byteRange: a.BYTERANGE ? byteRange(a.BYTERANGE) : undefined };
        break;
      }
      case "EXT-X-KEY": key = parseKey(parseAttributes(value), (uri) => resolve(uri, base)); break;
      case "EXT-X-PART": {
        const a = parseAttributes(value);
        if (!a.URI) throw new PlaylistError("EXT-X-PART without URI", n);
        const part = {
          index: current.parts.length,
          uri: resolve(a.URI, base),
          duration: number(a.DURATION, "DURATION", n),
          independent: a.INDEPENDENT === "YES",
          gap: a.GAP === "YES",
        };
        if (a.BYTERANGE) { part.byteRange = byteRange(a.BYTERANGE, lastPartRange); lastPartRange = part.byteRange; }
        current.parts.push(part);
        break;
      }
      case "EXT-X-PRELOAD-HINT": {
        const a = parseAttributes(value);
        p.preloadHint = { type: a.TYPE, uri: resolve(a.URI, base) };
        if (a["BYTERANGE-START"]) p.preloadHint.byteRangeStart = Number(a["BYTERANGE-START"]);
        break;
      }
      case "EXT-X-RENDITION-REPORT": {
        const a = parseAttributes(value);
        p.renditionReports.push({
          uri: resolve(a.URI, base),
          lastMSN: a["LAST-MSN"] !== undefined ? Number(a["LAST-MSN"]) : undefined,
          lastPart: a["LAST-PART"] !== undefined ? Number(a["LAST-PART"]) : undefined,
        });
        break;
      }
      default: break;
    }
  }
  // Parts listed after the last complete segment: the segment being written.
  if (current.parts.length > 0) finish(false);

  function newSegment() {
    return { duration: 0, complete: false, discontinuity: false, gap: false, parts: [] };
  }
  function finish(complete) {
    current.complete = complete;
    current.msn = p.mediaSequence + p.skipped + p.segments.length;
    current.discontinuitySequence = p.discontinuitySequence + discontinuities;
    current.map = map;
    current.key = key;
    if (!complete) current.duration = current.parts.reduce((sum, x) => sum + x.duration, 0);
    p.segments.push(current);
    const pdt = current.programDateTime;
    current = newSegment();
    // §4.4.4.6: the date of a segment without its own tag follows from the previous one.
    if (pdt !== undefined) current.programDateTime = pdt + p.segments[p.segments.length - 1].duration * 1000;
    lastPartRange = undefined;
  }
  return p;
}

/**
 * Merges a Playlist Delta Update (§4.4.5.2, §6.2.5.1) into the full playlist it updates: the
 * `skipped` segments come from `previous`. Throws when `previous` no longer holds them (the
 * caller then asks for the full playlist).
 */
export function applyDelta(previous, delta) {
  if (!delta.skipped) return delta;
  const first = delta.mediaSequence;
  const kept = previous.segments.filter((s) => s.msn >= first && s.msn < first + delta.skipped && s.complete);
  if (kept.length !== delta.skipped || kept[0].msn !== first) {
    throw new PlaylistError(`delta update skips ${delta.skipped} segments from ${first} that the previous playlist does not hold`);
  }
  // The segments after the skip are numbered from the skip's end already; their discontinuity
  // sequence continues from the last kept segment (discontinuities among the skipped ones are
  // only in `previous`).
  let sequence = kept[kept.length - 1].discontinuitySequence;
  const fresh = delta.segments.map((s) => {
    if (s.discontinuity) sequence += 1;
    return { ...s, discontinuitySequence: sequence };
  });
  return { ...delta, skipped: 0, segments: [...kept, ...fresh] };
}

/** The newest part or segment the playlist lists, as `{ msn, part }` (`part` -1: a whole segment). */
export function lastPosition(playlist) {
  const last = playlist.segments[playlist.segments.length - 1];
  if (!last) return undefined;
  if (last.parts.length > 0) return { msn: last.msn, part: last.parts.length - 1 };
  return { msn: last.msn, part: -1 };
}

/**
 * Where to start at the live edge (§6.3.3): the newest independent part (or segment start) that
 * is at least `behind` seconds before the end of the playlist, and not closer to the end than the
 * newest independent part allows. Returns `{ msn, part }` (`part` -1: a whole segment).
 */
export function liveStart(playlist, behind) {
  const segments = playlist.segments;
  let fromEnd = 0;
  let candidate;
  for (let i = segments.length - 1; i >= 0; i -= 1) {
    const s = segments[i];
    if (s.gap) {
      fromEnd += s.duration;
    } else if (s.parts.length > 0) {
      for (let k = s.parts.length - 1; k >= 0; k -= 1) {
        fromEnd += s.parts[k].duration;
        const independent = s.parts[k].independent || (k === 0 && playlist.independentSegments);
        if (independent) {
          candidate = { msn: s.msn, part: k };
          if (fromEnd >= behind) return candidate;
        }
      }
    } else {
      fromEnd += s.duration;
      candidate = { msn: s.msn, part: -1 };
      if (fromEnd >= behind) return candidate;
    }
  }
  return candidate;
}
