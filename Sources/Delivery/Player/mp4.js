// The few ISO BMFF (ISO/IEC 14496-12) fields the player reads from CMAF init segments and
// fragments: a track's timescale (§8.4.2 mdhd) and a fragment's start (§8.8.12 tfdt). Pure.

/** Deepest box nesting followed: moof/traf/tfdt and moov/trak/mdia/mdhd are four levels. */
const MAX_DEPTH = 6;

function* boxes(view, start, end) {
  let at = start;
  while (at + 8 <= end) {
    let size = view.getUint32(at);
    const type = String.fromCharCode(view.getUint8(at + 4), view.getUint8(at + 5), view.getUint8(at + 6), view.getUint8(at + 7));
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) return;
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header || at + size > end) return;
    yield { type, start: at, body: at + header, end: at + size };
    at += size;
  }
}

function find(view, path, start = 0, end = view.byteLength, depth = 0) {
  if (depth > MAX_DEPTH) return undefined;
  for (const box of boxes(view, start, end)) {
    if (box.type !== path[0]) continue;
    if (path.length === 1) return box;
    const found = find(view, path.slice(1), box.body, box.end, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function asView(bytes) {
  return bytes instanceof DataView ? bytes : new DataView(bytes.buffer || bytes, bytes.byteOffset || 0, bytes.byteLength);
}

/** The first track's media timescale in an init segment, or undefined. */
export function timescale(init) {
  const view = asView(init);
  const mdhd = find(view, ["moov", "trak", "mdia", "mdhd"]);
  if (!mdhd) return undefined;
  const version = view.getUint8(mdhd.body);
  // version 1: creation and modification times are 64-bit.
  return view.getUint32(mdhd.body + (version === 1 ? 20 : 12));
}

/** The baseMediaDecodeTime of a fragment's first track fragment, in the track's timescale. */
export function baseMediaDecodeTime(fragment) {
  const view = asView(fragment);
  const tfdt = find(view, ["moof", "traf", "tfdt"]);
  if (!tfdt) return undefined;
  const version = view.getUint8(tfdt.body);
  return version === 1 ? Number(view.getBigUint64(tfdt.body + 4)) : view.getUint32(tfdt.body + 4);
}

/** A fragment's start in seconds, given its init segment's timescale. */
export function startTime(fragment, scale) {
  const t = baseMediaDecodeTime(fragment);
  return t === undefined || !scale ? undefined : t / scale;
}
