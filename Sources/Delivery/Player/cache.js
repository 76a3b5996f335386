// Bytes the player already holds: init segments (immutable, asked for on every zap back) and
// parts prefetched for a channel change. Both bounded, oldest out first.

/** Init segments kept: a few renditions each of the channels around the current one. */
const MAX_INITS = 64;
/** Prefetched parts kept, in bytes: a key frame part of the lowest rung of a few neighbours. */
const MAX_PREFETCH_BYTES = 8 * 1024 * 1024;

export class MediaCache {
  constructor() {
    this.inits = new Map();
    this.parts = new Map();
    this.partBytes = 0;
  }

  /** The init segment at `uri`, loaded once with `load()` (a promise of bytes). */
  init(uri, load) {
    let entry = this.inits.get(uri);
    if (!entry) {
      entry = load();
      this.inits.set(uri, entry);
      entry.catch(() => this.inits.delete(uri));
      if (this.inits.size > MAX_INITS) this.inits.delete(this.inits.keys().next().value);
    }
    return entry;
  }

  has(uri) { return this.parts.has(uri); }

  put(uri, bytes) {
    if (this.parts.has(uri)) return;
    this.parts.set(uri, bytes);
    this.partBytes += bytes.byteLength;
    while (this.partBytes > MAX_PREFETCH_BYTES && this.parts.size > 1) {
      const [oldest, old] = this.parts.entries().next().value;
      this.parts.delete(oldest);
      this.partBytes -= old.byteLength;
    }
  }

  /** A prefetched part, if there is one (kept: a zap back may want it again). */
  take(uri) { return this.parts.get(uri); }
}
