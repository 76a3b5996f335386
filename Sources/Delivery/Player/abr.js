// Adaptive bitrate: a throughput estimate from the transfers of parts and segments, and the
// choice of a variant from it and from the buffer ahead of the playhead. Pure: the player feeds
// it samples and asks for decisions.

/** Transfers shorter than this are timed as this long: below it, timer resolution and request
 *  overhead dominate (browsers coarsen `performance.now()` to 0.1 ms – 1 ms, and a 5 KB audio
 *  part over loopback takes less than that). */
const MIN_SAMPLE_SECONDS = 0.005;
/** Transfers smaller than this say little about the link (an audio part, a playlist). */
const MIN_SAMPLE_BYTES = 16 * 1024;

/**
 * Two exponentially weighted moving averages of the throughput, weighted by transfer time: a fast
 * one that reacts to a drop, a slow one that does not believe a short burst. The estimate is the
 * lower of the two.
 */
export class ThroughputEstimator {
  constructor({ fastHalfLife = 1.5, slowHalfLife = 6, initial = 1_000_000 } = {}) {
    this.fastHalfLife = fastHalfLife;
    this.slowHalfLife = slowHalfLife;
    this.initial = initial;
    this.fast = 0;
    this.slow = 0;
    this.weight = 0;
    this.samples = 0;
  }

  /** A transfer of `bytes` that took `seconds` from the response's first byte to its last. */
  sample(bytes, seconds) {
    if (bytes < MIN_SAMPLE_BYTES) return false;
    const t = Math.max(seconds, MIN_SAMPLE_SECONDS);
    const bps = (bytes * 8) / t;
    const fastAlpha = 1 - 0.5 ** (t / this.fastHalfLife);
    const slowAlpha = 1 - 0.5 ** (t / this.slowHalfLife);
    this.fast = this.samples === 0 ? bps : this.fast + fastAlpha * (bps - this.fast);
    this.slow = this.samples === 0 ? bps : this.slow + slowAlpha * (bps - this.slow);
    this.weight += t;
    this.samples += 1;
    return true;
  }

  /** Bits per second; `initial` until the first sample. */
  get estimate() {
    return this.samples === 0 ? this.initial : Math.min(this.fast, this.slow);
  }
}

/**
 * Which variant to play next. `levels` are sorted by bandwidth, lowest first; `current` is an
 * index into them; `buffer` is the media time buffered ahead of the playhead and `target` the
 * buffer the player aims at (its target latency at the live edge); `listed` is the media listed
 * beyond the buffer, ready to fetch; `sinceSwitch` is the time in
 * seconds since the last switch; `maxIndex` caps the choice (the element's size).
 *
 * - down when the current variant does not fit in `downFraction` of the estimate, or at once,
 *   whatever the estimate, when the buffer is nearly gone;
 * - up to the best variant that fits in `upFraction` of the estimate, when the buffer and what is
 *   listed beyond it come to most of the target and the last switch is at least `minUpInterval` old.
 */
export function chooseLevel({
  levels, current, estimate, buffer, target, listed = 0, sinceSwitch = Infinity, maxIndex = levels.length - 1,
  upFraction = 0.7, downFraction = 0.85, minUpInterval = 4, panicBuffer = 0.35,
}) {
  const cap = Math.max(0, Math.min(maxIndex, levels.length - 1));
  const fits = (fraction) => {
    let best = 0;
    for (let i = 0; i <= cap; i += 1) if (levels[i].bandwidth <= estimate * fraction) best = i;
    return best;
  };
  if (current > cap) return fits(upFraction);
  if (current > 0 && buffer < panicBuffer * target) return Math.min(current - 1, fits(upFraction * 0.7));
  if (levels[current].bandwidth > estimate * downFraction) return Math.min(current, fits(upFraction));
  const up = fits(upFraction);
  // Up only with room: what is buffered and what is listed to fetch now (at the live edge, the
  // next segment's first part is listed, not yet fetched, when a switch is considered).
  if (up > current && buffer + listed >= 0.8 * target && sinceSwitch >= minUpInterval) return up;
  return current;
}

/** The index of the highest variant worth showing in an element of this size (device pixels):
 *  the first one at least as large, or the largest. Variants without a size are not capped. */
export function sizeCap(levels, width, height) {
  if (!width || !height) return levels.length - 1;
  for (let i = 0; i < levels.length; i += 1) {
    const l = levels[i];
    if (!l.width || !l.height) return levels.length - 1;
    if (l.width >= width || l.height >= height) return i;
  }
  return levels.length - 1;
}
