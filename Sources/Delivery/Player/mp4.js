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
