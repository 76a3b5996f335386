// Viewer quality reports: what the viewer got (startup time, stalls, latency, bitrate), sent to
// the server's beacon endpoint (`POST /player/beacon`) about every 10 s while a channel plays,
// and once more when the page is hidden or left. The server counts them per channel.

/** How often a report is sent while playing, in ms. */
export const REPORT_EVERY = 10_000;
/** The channel names the server knows (letters, digits, `-`, `_`, up to 64): a report on a URL
 *  played directly would be refused. */
const CHANNEL = /^[A-Za-z0-9_-]{1,64}$/;

export class QualityReporter {
  /**
   * @param player the Player whose events are counted
   * @param {string} url where reports are posted
   * @param {(body: string) => void} [send] how (navigator.sendBeacon, else fetch with keepalive)
   */
  constructor(player, url, send = sendReport) {
    this.player = player;
    this.url = url;
    this.send = send;
    this.reset();
    this.off = [
      player.on("firstframe", ({ elapsed, channel }) => {
        // A new channel: what is pending belongs to the previous one.
        if (this.channel !== undefined && this.channel !== channel) this.flush();
        this.channel = channel;
        this.startup = Math.round(elapsed);
      }),
      player.on("stall", ({ state, duration }) => {
        if (state === "start") this.stalls += 1;
        else this.stallMs += Math.round(duration * 1000);
      }),
    ];
    this.timer = setInterval(() => this.flush(), REPORT_EVERY);
    this.onHide = () => { if (document.visibilityState === "hidden") this.flush(); };
    this.onLeave = () => this.flush();
    document.addEventListener("visibilitychange", this.onHide);
    addEventListener("pagehide", this.onLeave);
  }

  reset() {
    // P2P bytes are counted by the player since it was made: a report sends what is new.
    this.sentBytes = { http: this.player.p2pStats?.httpBytes ?? 0, peer: this.player.p2pStats?.peerBytes ?? 0 };
    this.startup = undefined;
    this.stalls = 0;
    this.stallMs = 0;
  }

  /** The report of what happened since the last one, or undefined when there is nothing to say
   *  (nothing played, or not a channel the server knows). */
  report() {
    const p = this.player;
    const channel = this.channel;
    if (!channel || !CHANNEL.test(channel) || (this.startup === undefined && p.state !== "playing" && this.stalls === 0)) return undefined;
    const report = { channel, stalls: this.stalls, stallMs: this.stallMs };
    if (this.startup !== undefined) report.startupMs = Math.min(this.startup, 600_000);
    const latency = p.latency;
    if (p.isLive && p.atLive && Number.isFinite(latency) && latency >= 0 && latency <= 60) report.latency = Math.round(latency * 1000) / 1000;
    const bandwidth = p.levels[p.level]?.bandwidth;
    if (Number.isInteger(bandwidth)) report.bitrate = bandwidth;
    const bytes = p.p2pStats;
    if (bytes && (bytes.peerBytes > 0 || p.options?.p2p)) {
      report.httpBytes = bytes.httpBytes - this.sentBytes.http;
      report.peerBytes = bytes.peerBytes - this.sentBytes.peer;
    }
    return report;
  }

  flush() {
    const report = this.report();
    if (!report) return;
    this.reset();
    try { this.send(this.url, JSON.stringify(report)); } catch { /* a report is worth no error */ }
  }

  stop() {
    this.flush();
    clearInterval(this.timer);
    for (const off of this.off) off();
    document.removeEventListener("visibilitychange", this.onHide);
    removeEventListener("pagehide", this.onLeave);
  }
}

/** A beacon survives the page being closed. `text/plain` keeps it a simple request across
 *  origins (no preflight); the server reads the body as JSON whatever the type. */
function sendReport(url, body) {
  const blob = new Blob([body], { type: "text/plain" });
  if (navigator.sendBeacon?.(url, blob)) return;
  fetch(url, { method: "POST", body, keepalive: true, credentials: "omit", headers: { "Content-Type": "text/plain" } }).catch(() => {});
}
