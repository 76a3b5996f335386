// A data-only P2P peer: the same tracker client, exchange and digest checks as a player
// (p2p.js), following a channel's playlists and fetching each segment as a player in the P2P
// preset would, with no MediaSource and no decoding. For load tests and benchmarks: many of these
// next to a few real players keep a swarm realistic at a fraction of the CPU.

import { tracksOf } from "./hls.js";
import { parseMedia, parseMultivariant } from "./m3u8.js";
import { get, withToken } from "./net.js";
import { objectName, P2PAgent } from "./p2p.js";
import { sleep } from "./track.js";

/** Seconds of media a player in the P2P preset keeps between the newest segment and the
 *  playhead, less one segment it is playing: the time a new segment has to arrive. */
const SAFETY = 1;

export class DataPeer {
  /**
   * @param {object} o
   * @param {string} o.base the server's base URL
   * @param {string} o.channel
   * @param {string} [o.token]
   * @param {number} [o.latency] seconds behind the live edge (the P2P preset's)
   * @param {number} [o.level] the video level index (0: lowest, as players start)
   * @param {boolean} [o.p2p] false: HTTP only, for baselines
   * and the agent's options (upload, uploadRate, corrupt, log).
   */
  constructor({ base, channel, token, latency = 8, level = 0, p2p = true, ...agent }) {
    this.base = new URL(base, globalThis.location?.href).href;
    this.channel = channel;
    this.token = token;
    this.latency = latency;
    this.level = level;
    this.p2p = p2p;
    this.agentOptions = agent;
    this.stats = { httpBytes: 0, peerBytes: 0, uploadBytes: 0, rejected: 0, fromPeers: 0, fromHttp: 0, late: 0, objects: 0 };
    this.controller = new AbortController();
  }

  async start() {
    const url = withToken(new URL(`hls/${encodeURIComponent(this.channel)}/master.m3u8`, this.base).href, this.token);
    const master = parseMultivariant((await get(url, { as: "text", timeout: 10_000 })).text, url);
    const { levels, audioURI } = tracksOf(master);
    const video = levels[Math.min(this.level, levels.length - 1)]?.uri;
    if (this.p2p) {
      this.agent = new P2PAgent({
        base: this.base, channel: this.channel, rendition: objectName(video).split("/")[0], token: this.token, stats: this.stats, ...this.agentOptions,
      });
      await this.agent.start().catch((e) => this.agentOptions.log?.(`p2p: ${e.message}`));
    }
    this.runs = [video, audioURI].filter(Boolean).map((u) => this.follow(u).catch(() => {}));
  }

  stop() {
    this.controller.abort();
    this.agent?.close();
  }

  /** One track: each complete segment from `latency` behind the edge on, in order. */
  async follow(url) {
    const signal = this.controller.signal;
    let next;
    while (!signal.aborted) {
      const pl = parseMedia((await get(withToken(url, this.token), { as: "text", signal, timeout: 10_000 })).text, url);
      const complete = pl.segments.filter((s) => s.complete && !s.gap);
      if (next === undefined && complete.length) {
        let i = complete.length;
        for (let behind = 0; i > 0 && behind < this.latency; ) behind += complete[--i].duration;
        next = complete[i].msn;
      }
      for (const seg of complete) {
        if (seg.msn < next || signal.aborted) continue;
        // A segment that is new at the edge plays `latency` from now; it must be here one
        // segment and a margin before.
        const budget = Math.max(0, (this.latency - seg.duration - SAFETY) * 1000);
        const started = performance.now();
        const http = () => get(withToken(seg.uri, this.token), { signal, timeout: 20_000 }).then((r) => r.bytes);
        if (this.agent) await this.agent.fetch(seg.uri, http, budget);
        else this.stats.httpBytes += (await http()).byteLength;
        this.stats.objects += 1;
        if (performance.now() - started > budget + 1000) this.stats.late += 1;
        next = seg.msn + 1;
      }
      await sleep(Math.max(0.25, (pl.targetDuration || 2) / 4), signal);
    }
  }
}
