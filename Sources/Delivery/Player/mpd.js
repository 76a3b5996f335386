// DASH Media Presentation Descriptions (ISO/IEC 23009-1): the MPD with its Periods, adaptation
// sets and representations (§5.3), SegmentTemplate with SegmentTimeline (§5.3.9.4, §5.3.9.6) and
// its identifiers (§5.3.9.4.4, Table 16), UTCTiming (§5.8.4.11), ServiceDescription (Annex K),
// and the window of one representation in the media playlist model of m3u8.js, so that the same
// track loader plays both. Pure functions, but for the DOMParser that reads the XML.

/** Longest MPD parsed: as long as the longest media playlist (m3u8.js), far more than a 14-day
 *  SegmentTimeline, which `r` compresses to a few lines per discontinuity. */
export const MAX_MPD_CHARS = 16 * 1024 * 1024;
/** Periods read: a Period per encoder session, and a live window or DVR archive holds a few. */
export const MAX_PERIODS = 256;
/** Adaptation sets per Period, and representations per adaptation set: a ladder has a handful of
 *  rungs and a few audio languages. */
export const MAX_SETS = 32;
export const MAX_REPRESENTATIONS = 32;
/** `S` elements per SegmentTimeline: one per segment at worst, a 14-day DVR window of 2 s
 *  segments being 604,800; and segments expanded from them, the same bound. */
export const MAX_TIMELINE = 700_000;
export const MAX_SEGMENTS = 700_000;

export class MPDError extends Error {
  constructor(message) {
    super(message);
    this.name = "MPDError";
  }
}

/** An ISO 8601 duration (`PT2.5S`, `P1DT2H`; xs:duration, §5.3.1.2) in seconds; years and months
 *  as 365 and 30 days (no MPD of a live service counts in those). */
export function parseDuration(text, what = "duration") {
  const m = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text?.trim() ?? "");
  if (!m || text.trim() === "P" || text.trim().endsWith("T")) throw new MPDError(`invalid ${what}: ${text}`);
  const [, y, mo, d, h, mi, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return (((y * 365 + mo * 30 + d) * 24 + h) * 60 + mi) * 60 + s;
}

/** A media segment URL from a template (§5.3.9.4.4): `$RepresentationID$`, `$Number$`,
 *  `$Time$`, `$Bandwidth$`, each with an optional `%0Nd` width, and `$$`. */
export function fillTemplate(template, values) {
  return template.replace(/\$(RepresentationID|Number|Time|Bandwidth|)(?:%0(\d+)d)?\$/g, (whole, name, width) => {
    if (name === "") return "$";
    const value = values[name];
    if (value === undefined) throw new MPDError(`the template ${template} wants $${name}$`);
    const text = String(value);
    if (width === undefined) return text;
    if (name === "RepresentationID") throw new MPDError(`$RepresentationID$ takes no width in ${template}`);
    return text.padStart(Number(width), "0");
  });
}

function children(node, name) {
  return [...node.children].filter((c) => c.localName === name);
}

function child(node, name) {
  return [...node.children].find((c) => c.localName === name);
}

function integer(node, name, fallback) {
  const text = node?.getAttribute(name);
  if (text === null || text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new MPDError(`invalid ${node.localName}@${name}: ${text}`);
  return n;
}

function decimal(node, name, fallback) {
  const text = node?.getAttribute(name);
  if (text === null || text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new MPDError(`invalid ${node.localName}@${name}: ${text}`);
  return n;
}

function duration(node, name) {
  const text = node?.getAttribute(name);
  return text === null || text === undefined ? undefined : parseDuration(text, `${node.localName}@${name}`);
}

function date(node, name) {
  const text = node?.getAttribute(name);
  if (text === null || text === undefined) return undefined;
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new MPDError(`invalid ${node.localName}@${name}: ${text}`);
  return t;
}

/** The first BaseURL of `node` resolved against `base` (§5.6), or `base`. */
function baseOf(node, base) {
  const b = child(node, "BaseURL");
  return b ? new URL(b.textContent.trim(), base).href : base;
}

/** `frameRate` is a number or a fraction (`30000/1001`). */
function frameRate(text) {
  if (!text) return undefined;
  const [n, d] = text.split("/").map(Number);
  return d ? n / d : n;
}

/** A SegmentTemplate's or SegmentList's attributes, each level's overriding its parent's
 *  (§5.3.9.1: Period, AdaptationSet and Representation levels). A SegmentList (§5.3.9.3) names
 *  each segment (`SegmentURL@media`, in the order of its timeline) and its init segment
 *  (`Initialization@sourceURL`): Antenne's DVR, start-over and catch-up MPDs list archived
 *  segments so. */
const TEMPLATE_ATTRIBUTES = ["timescale", "presentationTimeOffset", "startNumber", "duration", "initialization", "media",
  "availabilityTimeOffset", "availabilityTimeComplete"];

function template(nodes) {
  const merged = {};
  let timeline;
  let urls;
  let listInit;
  for (const node of nodes) {
    const t = node && (child(node, "SegmentTemplate") ?? child(node, "SegmentList"));
    if (!t) continue;
    for (const name of TEMPLATE_ATTRIBUTES) if (t.hasAttribute(name)) merged[name] = t;
    timeline = child(t, "SegmentTimeline") ?? timeline;
    if (t.localName === "SegmentList") {
      const listed = children(t, "SegmentURL");
      if (listed.length > MAX_SEGMENTS) throw new MPDError(`more than ${MAX_SEGMENTS} SegmentURLs in a SegmentList`);
      urls = listed.map((u) => {
        const media = u.getAttribute("media");
        if (!media) throw new MPDError("a SegmentURL without @media");
        return media;
      });
      listInit = child(t, "Initialization")?.getAttribute("sourceURL") ?? listInit;
    }
  }
  if (!merged.media && !urls) return undefined;
  const timescale = integer(merged.timescale, "timescale", 1);
  if (!(timescale > 0)) throw new MPDError("SegmentTemplate@timescale must be positive");
  return {
    timescale,
    presentationTimeOffset: integer(merged.presentationTimeOffset, "presentationTimeOffset", 0),
    startNumber: integer(merged.startNumber, "startNumber", 1),
    duration: integer(merged.duration, "duration", undefined),
    initialization: urls ? listInit : merged.initialization?.getAttribute("initialization") ?? undefined,
    media: urls ? undefined : merged.media.getAttribute("media"),
    urls,
    availabilityTimeOffset: decimal(merged.availabilityTimeOffset, "availabilityTimeOffset", undefined),
    availabilityTimeComplete: merged.availabilityTimeComplete?.getAttribute("availabilityTimeComplete") !== "false",
    timeline: timeline ? children(timeline, "S").map((s, i) => {
      if (i >= MAX_TIMELINE) throw new MPDError(`more than ${MAX_TIMELINE} S elements in a SegmentTimeline`);
      const d = integer(s, "d", undefined);
      if (!(d > 0)) throw new MPDError("S@d is missing or not positive");
      return { t: integer(s, "t", undefined), d, r: integer(s, "r", 0) };
    }) : undefined,
  };
}

/**
 * The MPD (§5.3.1): `{ type, availabilityStartTime, publishTime, minimumUpdatePeriod,
 * timeShiftBufferDepth, suggestedPresentationDelay, mediaPresentationDuration, utcTiming,
 * targetLatency, periods }`. Times are Unix ms for dates and seconds for durations. Each Period is
 * `{ id, start, duration, sets }`, each set `{ contentType, lang, roles, representations }` and each
 * representation `{ id, bandwidth, codecs, mimeType, width, height, frameRate, base, template }`.
 */
/** The role scheme of ISO/IEC 23009-1 §5.8.5.5. */
const ROLE_SCHEME = "urn:mpeg:dash:role:2011";

/** The W3C Clear Key system (DASH-IF registry). */
const CLEAR_KEY = "urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e";

/** An AdaptationSet protected with `cbcs` and Clear Key (ISO/IEC 23001-7 §11): its segments' key,
 *  as an HLS `SAMPLE-AES` key, at the Clear Key `dashif:Laurl` (Antenne's keys directory). */
function clearKey(set, base) {
  const protections = children(set, "ContentProtection");
  const cenc = protections.find((c) => c.getAttribute("schemeIdUri") === "urn:mpeg:dash:mp4protection:2011");
  if (!cenc) return undefined;
  if (cenc.getAttribute("value") !== "cbcs") throw new MPDError(`protection ${cenc.getAttribute("value")} is not supported (cbcs is)`);
  const system = protections.find((c) => (c.getAttribute("schemeIdUri") || "").toLowerCase() === CLEAR_KEY);
  const laurl = system && child(system, "Laurl")?.textContent.trim();
  if (!laurl) throw new MPDError("a cbcs AdaptationSet without a Clear Key Laurl");
  return { method: "SAMPLE-AES", uri: new URL(laurl, base).href };
}

export function parseMPD(text, base) {
  if (typeof text !== "string") throw new MPDError("not text");
  if (text.length > MAX_MPD_CHARS) throw new MPDError("MPD too long");
  const doc = new DOMParser().parseFromString(text, "application/xml");
  const root = doc.documentElement;
  if (!root || root.localName !== "MPD" || doc.getElementsByTagName("parsererror").length) {
    throw new MPDError(root?.localName === "parsererror" || doc.getElementsByTagName("parsererror").length
      ? `not XML: ${doc.getElementsByTagName("parsererror")[0].textContent.trim().split("\n")[0]}` : "not an MPD");
  }
  const type = root.getAttribute("type") || "static";
  if (type !== "static" && type !== "dynamic") throw new MPDError(`invalid MPD@type: ${type}`);
  const mpdBase = baseOf(root, base);
  const mpd = {
    type,
    availabilityStartTime: date(root, "availabilityStartTime"),
    publishTime: date(root, "publishTime"),
    minimumUpdatePeriod: duration(root, "minimumUpdatePeriod"),
    timeShiftBufferDepth: duration(root, "timeShiftBufferDepth"),
    suggestedPresentationDelay: duration(root, "suggestedPresentationDelay"),
    mediaPresentationDuration: duration(root, "mediaPresentationDuration"),
    maxSegmentDuration: duration(root, "maxSegmentDuration"),
    utcTiming: children(root, "UTCTiming").map((u) => ({ scheme: u.getAttribute("schemeIdUri"), value: u.getAttribute("value") })),
    targetLatency: undefined,
    periods: [],
  };
  if (type === "dynamic" && mpd.availabilityStartTime === undefined) throw new MPDError("a dynamic MPD without availabilityStartTime");
  // Annex K.3.2: Latency@target in milliseconds.
  const latency = child(root, "ServiceDescription") && child(child(root, "ServiceDescription"), "Latency");
  if (latency) mpd.targetLatency = decimal(latency, "target", undefined) / 1000;
  const periods = children(root, "Period");
  if (periods.length > MAX_PERIODS) throw new MPDError(`more than ${MAX_PERIODS} Periods`);
  let previousEnd = 0;
  for (const p of periods) {
    // §5.3.2.1: a Period without @start follows the previous one.
    const start = duration(p, "start") ?? previousEnd;
    const period = { id: p.getAttribute("id") ?? String(start), start, duration: duration(p, "duration"), sets: [] };
    previousEnd = period.duration === undefined ? undefined : start + period.duration;
    const periodBase = baseOf(p, mpdBase);
    const sets = children(p, "AdaptationSet");
    if (sets.length > MAX_SETS) throw new MPDError(`more than ${MAX_SETS} AdaptationSets in Period ${period.id}`);
    for (const a of sets) {
      const setBase = baseOf(a, periodBase);
      const reps = children(a, "Representation");
      if (reps.length > MAX_REPRESENTATIONS) throw new MPDError(`more than ${MAX_REPRESENTATIONS} Representations in an AdaptationSet`);
      const mimeOf = (r) => r.getAttribute("mimeType") || a.getAttribute("mimeType") || "";
      const set = {
        contentType: a.getAttribute("contentType") || mimeOf(reps[0] ?? a).split("/")[0] || undefined,
        // §5.3.3.2 @lang (RFC 5646), and the Role values of §5.8.5.5 (main, alternate, ...).
        lang: a.getAttribute("lang") || undefined,
        roles: children(a, "Role").filter((r) => r.getAttribute("schemeIdUri") === ROLE_SCHEME).map((r) => r.getAttribute("value")),
        representations: reps.map((r) => {
          const id = r.getAttribute("id");
          if (!id) throw new MPDError("a Representation without id");
          const bandwidth = integer(r, "bandwidth", undefined);
          if (bandwidth === undefined) throw new MPDError(`Representation ${id} without bandwidth`);
          const t = template([p, a, r]);
          if (!t) throw new MPDError(`Representation ${id} has neither a SegmentTemplate with @media nor a SegmentList (the addressings read)`);
          const attr = (name) => r.getAttribute(name) ?? a.getAttribute(name) ?? undefined;
          return {
            id, bandwidth,
            codecs: attr("codecs"),
            mimeType: mimeOf(r),
            width: integer(r, "width", integer(a, "width", undefined)),
            height: integer(r, "height", integer(a, "height", undefined)),
            frameRate: frameRate(attr("frameRate")),
            base: baseOf(r, setBase),
            template: t,
            key: clearKey(a, setBase),
          };
        }),
      };
      period.sets.push(set);
    }
    mpd.periods.push(period);
  }
  for (let i = 0; i < mpd.periods.length; i += 1) {
    const p = mpd.periods[i];
    const next = mpd.periods[i + 1];
    p.end = p.duration !== undefined ? p.start + p.duration
      : next ? next.start : mpd.mediaPresentationDuration;
  }
  return mpd;
}

/**
 * The segments of a representation in its Period (§5.3.9.6): `{ number, time, duration }` in the
 * template's timescale, from its SegmentTimeline, or numbered from its @duration (up to `until`,
 * seconds of Period time, in a dynamic MPD). An `r` of -1 repeats up to the next `S@t`, or to the
 * end of the Period, or to `until`.
 */
export function expandSegments(rep, period, until) {
  const t = rep.template;
  const out = [];
  const push = (time, d) => {
    if (out.length >= MAX_SEGMENTS) throw new MPDError(`Representation ${rep.id} lists more than ${MAX_SEGMENTS} segments`);
    out.push({ number: t.startNumber + out.length, time, duration: d });
  };
  const endTicks = (seconds) => (seconds === undefined ? undefined : t.presentationTimeOffset + seconds * t.timescale);
  const periodEnd = endTicks(period.end === undefined ? undefined : period.end - period.start);
  if (t.timeline) {
    let time = 0;
    t.timeline.forEach((s, i) => {
      if (s.t !== undefined) {
        if (s.t < time && i > 0) throw new MPDError(`S@t goes back in Representation ${rep.id}`);
        time = s.t;
      }
      let repeat = s.r;
      if (repeat < 0) {
        const next = t.timeline[i + 1]?.t ?? periodEnd ?? endTicks(until);
        if (next === undefined) throw new MPDError(`S@r=-1 with no end in Representation ${rep.id}`);
        repeat = Math.ceil((next - time) / s.d) - 1;
      }
      if (repeat + out.length >= MAX_SEGMENTS) throw new MPDError(`Representation ${rep.id} lists more than ${MAX_SEGMENTS} segments`);
      for (let k = 0; k <= repeat; k += 1) {
        push(time, s.d);
        time += s.d;
      }
    });
    return out;
  }
  if (!(t.duration > 0)) throw new MPDError(`Representation ${rep.id}: a SegmentTemplate needs a SegmentTimeline or @duration`);
  const end = periodEnd ?? endTicks(until);
  if (end === undefined) throw new MPDError(`Representation ${rep.id}: numbered segments with no end`);
  for (let time = t.presentationTimeOffset; time + t.duration <= end + 1; time += t.duration) push(time, t.duration);
  return out;
}

/** Where segment `s` (of `expandSegments`) of `rep` is, before resolving: its template filled in,
 *  or its SegmentURL. */
function mediaURL(rep, s) {
  const t = rep.template;
  if (!t.urls) return fillTemplate(t.media, { RepresentationID: rep.id, Number: s.number, Time: s.time, Bandwidth: rep.bandwidth });
  const url = t.urls[s.number - t.startNumber];
  if (url === undefined) throw new MPDError(`Representation ${rep.id}: segment ${s.number} has no SegmentURL`);
  return url;
}

export function isVideo(set) { return set.contentType === "video"; }
export function isAudio(set) { return set.contentType === "audio"; }

/**
 * The tracks of an MPD in the shape of `tracksOf` (session.js): the video representations of
 * its newest Period as levels (sorted by bandwidth, lowest first; `uri` names the
 * representation: `{mpd}#{id}`), the audio tracks (one per audio AdaptationSet: a language
 * each) with the default one's URI and MIME type.
 */
export function tracksOfMPD(mpd, url, supported = () => true) {
  const period = mpd.periods[mpd.periods.length - 1];
  if (!period) throw new MPDError("no Period");
  const key = (rep) => `${url.split("#")[0]}#${encodeURIComponent(rep.id)}`;
  const mime = (rep) => (rep.codecs ? `${rep.mimeType}; codecs="${rep.codecs}"` : rep.mimeType);
  const levels = period.sets.filter(isVideo).flatMap((s) => s.representations)
    .filter((r) => supported(mime(r)))
    .sort((x, y) => x.bandwidth - y.bandwidth)
    .map((r, index) => ({
      index, uri: key(r), id: r.id, bandwidth: r.bandwidth, width: r.width, height: r.height,
      frameRate: r.frameRate, codecs: r.codecs ? [r.codecs] : [],
    }));
  // One audio track per AdaptationSet (a language each), its first representation; the
  // default is the `main` one, else the first.
  const sets = period.sets.filter((s) => isAudio(s) && s.representations.length);
  const main = sets.find((s) => s.roles.includes("main")) ?? sets[0];
  const audioTracks = sets.map((s, index) => {
    const r = s.representations[0];
    return { index, uri: key(r), language: s.lang, name: s.lang ?? r.id, isDefault: s === main, mime: mime(r) };
  });
  const audio = audioTracks.find((t) => t.isDefault);
  return { levels, audioURI: audio?.uri, audioMime: audio?.mime ?? "audio/mp4", audioTracks };
}

/** Whether segments are announced before they are complete (low-latency DASH, §5.3.9.5.3). */
export function isLowLatency(mpd, rep) {
  return mpd.type === "dynamic" && rep.template.availabilityTimeOffset > 0 && !rep.template.availabilityTimeComplete;
}

/**
 * One representation (`id`) across the MPD's Periods as a media playlist of m3u8.js's model
 * (`parseMedia`): `msn` is the segment's number, each Period a discontinuity sequence (named by
 * its start, which stays the same in every version of the MPD) with its own init segment, and
 * `programDateTime` the wall clock of each segment (§5.3.9.6: AST + Period@start +
 * (t - presentationTimeOffset) / timescale). `now` is the server's clock (Unix ms).
 *
 * With `early` (low latency, §5.3.9.5.3), each segment of the newest Period is also a part of one
 * that may be read as it is written (`streamed`), and the segment being written (the last listed
 * if it ends after `now`, or the next one once its availability start is past) is listed as
 * incomplete with that part: the track loader asks for it, reading its chunks as they come.
 * `skip` is a set of URIs not to ask for early (their request was refused).
 */
export function mediaPlaylistOf(mpd, id, { now = Date.now(), early = true, skip } = {}) {
  const dynamic = mpd.type === "dynamic";
  const ast = mpd.availabilityStartTime ?? 0;
  const segments = [];
  let targetDuration = 0;
  let lastRep;
  let previousNumber = -Infinity;
  for (const period of mpd.periods) {
    const rep = period.sets.flatMap((s) => s.representations).find((r) => r.id === id);
    if (!rep) continue;
    lastRep = { rep, period };
    const t = rep.template;
    const map = t.initialization ? { uri: new URL(fillTemplate(t.initialization, { RepresentationID: rep.id, Bandwidth: rep.bandwidth }), rep.base).href } : undefined;
    const until = dynamic ? (now - ast) / 1000 - period.start : undefined;
    const listed = expandSegments(rep, period, until);
    if (listed.length && listed[0].number <= previousNumber) {
      throw new MPDError(`segment numbers of Representation ${id} do not go on across Periods (Period ${period.id})`);
    }
    // Numbers a Period leaves out before its first segment (gaps, segments of an older init
    // segment): gap segments over the time between, so that the numbers of the window follow
    // one another as in a media playlist.
    const previous = segments[segments.length - 1];
    if (previous && listed.length && listed[0].number > previous.msn + 1) {
      const missing = listed[0].number - previous.msn - 1;
      if (segments.length + missing + listed.length > MAX_SEGMENTS) throw new MPDError(`Representation ${id} lists more than ${MAX_SEGMENTS} segments`);
      const from = previous.programDateTime + previous.duration * 1000;
      const to = ast + (period.start + (listed[0].time - t.presentationTimeOffset) / t.timescale) * 1000;
      const each = Math.max(0, to - from) / missing / 1000;
      for (let k = 0; k < missing; k += 1) {
        segments.push({
          msn: previous.msn + 1 + k, uri: undefined, duration: each, complete: true, discontinuity: false,
          discontinuitySequence: previous.discontinuitySequence, gap: true, map: previous.map,
          programDateTime: from + k * each * 1000, parts: [], time: undefined, ticks: undefined,
        });
      }
    }
    listed.forEach((s, i) => {
      const seconds = s.duration / t.timescale;
      targetDuration = Math.max(targetDuration, seconds);
      segments.push({
        msn: s.number,
        uri: new URL(mediaURL(rep, s), rep.base).href,
        duration: seconds,
        complete: true,
        discontinuity: i === 0 && segments.length > 0,
        discontinuitySequence: period.start,
        gap: false,
        map,
        key: rep.key,
        programDateTime: ast + (period.start + (s.time - t.presentationTimeOffset) / t.timescale) * 1000,
        parts: [],
        time: s.time,
        ticks: s.duration,
      });
    });
    if (listed.length) previousNumber = listed[listed.length - 1].number;
  }
  if (!lastRep) throw new MPDError(`no Representation ${id}`);
  const playlist = {
    version: 0, targetDuration: mpd.maxSegmentDuration ?? targetDuration, partTarget: 0,
    mediaSequence: segments[0]?.msn ?? 0, discontinuitySequence: segments[0]?.discontinuitySequence ?? 0,
    // An MPD without a time-shift buffer depth keeps everything from its start (§5.3.1.2): a
    // start-over grows from its start, like an HLS EVENT playlist.
    type: !dynamic ? "VOD" : mpd.timeShiftBufferDepth === undefined ? "EVENT" : undefined,
    endList: !dynamic, skipped: 0, serverControl: {}, segments, preloadHint: undefined,
    renditionReports: [], independentSegments: true,
    lowLatency: false, availabilityTimeOffset: 0,
  };
  const { rep, period } = lastRep;
  const last = segments[segments.length - 1];
  if (!early || !isLowLatency(mpd, rep) || !last || last.discontinuitySequence !== period.start) return playlist;
  playlist.lowLatency = true;
  playlist.availabilityTimeOffset = rep.template.availabilityTimeOffset;
  for (const s of segments) {
    if (s.discontinuitySequence === period.start) s.parts = [{ index: 0, uri: s.uri, duration: s.duration, independent: true, gap: false, streamed: true }];
  }
  if (last.programDateTime + last.duration * 1000 > now) {
    last.complete = false;
  } else {
    // The next one, as long as the last (§5.3.9.5.3: available from its end less the offset).
    const t = rep.template;
    const next = { ...last, msn: last.msn + 1, time: last.time + last.ticks, discontinuity: false, complete: false };
    next.programDateTime = last.programDateTime + last.duration * 1000;
    next.uri = new URL(mediaURL(rep, { number: next.msn, time: next.time }), rep.base).href;
    next.parts = [{ ...last.parts[0], uri: next.uri }];
    if (next.programDateTime + (next.duration - playlist.availabilityTimeOffset) * 1000 <= now) segments.push(next);
  }
  const tail = segments[segments.length - 1];
  if (!tail.complete && skip?.has(tail.uri)) tail.parts = [];
  return playlist;
}
