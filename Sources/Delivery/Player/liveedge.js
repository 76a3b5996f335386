// Holding the playhead at a target distance behind the live edge by the playback rate: faster
// (up to `maxRate`) when behind, slower (down to `minRate`) when too close, never a jump unless
// the distance is beyond what the rate can make up for. Pure: the player feeds it the latency.

export class LiveEdgeController {
  /**
   * @param {object} o
   * @param {number} o.targetLatency seconds behind the newest part to play at
   * @param {number} o.maxRate fastest catch-up rate (1.1 is hardly noticed, pitch preserved)
   * @param {number} o.minRate slowest rate when closer than the target
   * @param {number} o.rampSeconds error at which the rate reaches `maxRate`
   * @param {number} o.tolerance error under which the rate is 1 (no hunting)
   * @param {number} o.maxLatency beyond this, a jump: catching up at `maxRate` would take too long
   */
  constructor({ targetLatency = 1.0, maxRate = 1.1, minRate = 1.0, rampSeconds = 0.5, tolerance = 0.06, maxLatency } = {}) {
    this.targetLatency = targetLatency;
    this.maxRate = maxRate;
    this.minRate = minRate;
    this.rampSeconds = rampSeconds;
    this.tolerance = tolerance;
    this.maxLatency = maxLatency ?? targetLatency + 6;
    this.rate = 1;
  }

  /**
   * What to do for a measured `latency` (seconds behind the newest part): `{ rate }` to set, or
   * `{ rate: 1, seekBy }` to jump forward by `seekBy` seconds. A rate is held until the error
   * crosses back through zero, so it does not hunt around the tolerance.
   */
  update(latency) {
    const error = latency - this.targetLatency;
    if (latency > this.maxLatency) {
      this.rate = 1;
      return { rate: 1, seekBy: error };
    }
    // Already correcting in this direction: go on down to a third of the tolerance.
    const correcting = this.rate !== 1 && Math.sign(this.rate - 1) === Math.sign(error) && Math.abs(error) >= this.tolerance / 3;
    let rate;
    if (Math.abs(error) < this.tolerance && !correcting) {
      rate = 1;
    } else if (error > 0) {
      rate = 1 + (this.maxRate - 1) * Math.min(1, error / this.rampSeconds);
    } else {
      rate = 1 - (1 - this.minRate) * Math.min(1, -error / this.rampSeconds);
    }
    rate = Math.round(Math.min(this.maxRate, Math.max(this.minRate, rate)) * 100) / 100;
    this.rate = rate;
    return { rate };
  }
}
