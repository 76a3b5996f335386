// The few ISO BMFF (ISO/IEC 14496-12) fields the player reads from CMAF init segments and
// fragments: a track's timescale (§8.4.2 mdhd) and a fragment's start (§8.8.12 tfdt); and the
// CMAF chunks (moof + mdat) of a segment read while it arrives. Pure.

/** Bytes held while a chunk arrives: a whole 6 s segment of 4K at 50 Mbit/s is under 40 MB,
 *  and a chunk is a part of one. */
export const MAX_CHUNK_BYTES = 64 * 1024 * 1024;

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

/** Samples listed in one `trun` at most: a 6 s segment of 240 fps video is 1 440; more is not a
 *  stream this player plays. */
export const MAX_SAMPLES_PER_RUN = 16384;

/** How an init segment's AVC or HEVC samples hold their NAL units: `{ lengthSize, hevc }`, the
 *  length size being `lengthSizeMinusOne` + 1 of its `avcC` or `hvcC` (ISO/IEC 14496-15
 *  §5.3.3.1 and §8.3.3.1); undefined for other tracks. */
export function nalFormat(init) {
  const view = asView(init);
  const stsd = find(view, ["moov", "trak", "mdia", "minf", "stbl", "stsd"]);
  if (!stsd) return undefined;
  // stsd: version and flags, entry_count; a VisualSampleEntry has 78 bytes before its boxes.
  for (const entry of boxes(view, stsd.body + 8, stsd.end)) {
    for (const box of boxes(view, entry.body + 78, entry.end)) {
      if (box.type === "avcC" && box.body + 5 <= box.end) return { lengthSize: (view.getUint8(box.body + 4) & 3) + 1, hevc: false };
      if (box.type === "hvcC" && box.body + 22 <= box.end) return { lengthSize: (view.getUint8(box.body + 21) & 3) + 1, hevc: true };
    }
  }
  return undefined;
}

/**
 * The samples of a fragment's first track in every `moof` it holds (ISO/IEC 14496-12 §8.8.7
 * tfhd, §8.8.8 trun, §8.8.12 tfdt): `{ dts, cto, start, end }`, times in the track's timescale and
 * byte offsets into `fragment`. Sample data is addressed from the `moof` (CMAF's
 * default-base-is-moof, ISO/IEC 23000-19 §7.5.16) unless the `tfhd` gives a base. Samples that
 * fall outside the bytes are left out.
 */
export function samples(fragment) {
  const view = asView(fragment);
  const out = [];
  for (const moof of boxes(view, 0, view.byteLength)) {
    if (moof.type !== "moof") continue;
    const traf = find(view, ["traf"], moof.body, moof.end);
    if (!traf) continue;
    const tfhd = find(view, ["tfhd"], traf.body, traf.end);
    if (!tfhd || tfhd.body + 8 > tfhd.end) continue;
    const tfhdFlags = view.getUint32(tfhd.body) & 0xFFFFFF;
    let at = tfhd.body + 8;
    let base = moof.start;
    if (tfhdFlags & 0x1) { base = Number(view.getBigUint64(at)); at += 8; }
    if (tfhdFlags & 0x2) at += 4;
    let defaultDuration = 0;
    let defaultSize = 0;
    if (tfhdFlags & 0x8) { defaultDuration = view.getUint32(at); at += 4; }
    if (tfhdFlags & 0x10) defaultSize = view.getUint32(at);
    let dts = 0;
    const tfdt = find(view, ["tfdt"], traf.body, traf.end);
    if (tfdt) dts = view.getUint8(tfdt.body) === 1 ? Number(view.getBigUint64(tfdt.body + 4)) : view.getUint32(tfdt.body + 4);
    let next = base;
    for (const trun of boxes(view, traf.body, traf.end)) {
      if (trun.type !== "trun" || trun.body + 8 > trun.end) continue;
      const version = view.getUint8(trun.body);
      const flags = view.getUint32(trun.body) & 0xFFFFFF;
      const count = view.getUint32(trun.body + 4);
      if (count > MAX_SAMPLES_PER_RUN) throw new Error(`a trun of ${count} samples`);
      let p = trun.body + 8;
      if (flags & 0x1) { next = base + view.getInt32(p); p += 4; }
      if (flags & 0x4) p += 4;
      const perSample = [0x100, 0x200, 0x400, 0x800].filter((f) => flags & f).length * 4;
      if (p + count * perSample > trun.end) throw new Error("a trun longer than its box");
      for (let i = 0; i < count; i++) {
        const duration = flags & 0x100 ? view.getUint32((p += 4) - 4) : defaultDuration;
        const size = flags & 0x200 ? view.getUint32((p += 4) - 4) : defaultSize;
        if (flags & 0x400) p += 4;
        const cto = flags & 0x800 ? (version === 1 ? view.getInt32((p += 4) - 4) : view.getUint32((p += 4) - 4)) : 0;
        if (next + size <= view.byteLength) out.push({ dts, cto, start: next, end: next + size });
        next += size;
        dts += duration;
      }
    }
  }
  return out;
}

/**
 * The CMAF chunks of a segment read as it arrives (ISO/IEC 23000-19 §7.3.2.3: a `moof` and its
 * `mdat`, with the `styp`, `prft` or `emsg` boxes before it): `push` takes the bytes of each read
 * and returns the chunks they complete, each one whole box sequence that ends with an `mdat`,
 * ready for a SourceBuffer.
 */
export class ChunkReader {
  constructor() {
    this.pending = new Uint8Array(0);
  }

  /** Bytes received that no complete chunk holds yet. */
  get leftover() { return this.pending.byteLength; }

  push(bytes) {
    let buf = bytes;
    if (this.pending.byteLength) {
      buf = new Uint8Array(this.pending.byteLength + bytes.byteLength);
      buf.set(this.pending);
      buf.set(bytes, this.pending.byteLength);
    }
    const view = asView(buf);
    const chunks = [];
    let at = 0;
    let chunkStart = 0;
    while (at + 8 <= buf.byteLength) {
      let size = view.getUint32(at);
      let header = 8;
      if (size === 1) {
        if (at + 16 > buf.byteLength) break;
        size = Number(view.getBigUint64(at + 8));
        header = 16;
      }
      if (size === 0) throw new Error("a box that runs to the end of the file cannot be read as it arrives");
      if (size < header) throw new Error(`invalid box size ${size}`);
      if (at + size - chunkStart > MAX_CHUNK_BYTES) throw new Error(`a chunk over ${MAX_CHUNK_BYTES} bytes`);
      if (at + size > buf.byteLength) break;
      const type = String.fromCharCode(view.getUint8(at + 4), view.getUint8(at + 5), view.getUint8(at + 6), view.getUint8(at + 7));
      at += size;
      if (type === "mdat") {
        chunks.push(buf.subarray(chunkStart, at));
        chunkStart = at;
      }
    }
    this.pending = buf.slice(chunkStart);
    return chunks;
  }
}
