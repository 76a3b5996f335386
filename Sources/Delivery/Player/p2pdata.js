// A data-only P2P peer: the same tracker client, exchange and digest checks as a player
// (p2p.js), following a channel's playlists and fetching each segment as a player in the P2P
// preset would, or each part as a player at the LL-HLS live edge would (`parts`), with no
// MediaSource and no decoding. For load tests and benchmarks: many of these
// next to a few real players keep a swarm realistic at a fraction of the CPU.

import { ThroughputEstimator } from "./abr.js";
import { tracksOf } from "./hls.js";
import { parseMedia, parseMultivariant } from "./m3u8.js";
import { get, withToken } from "./net.js";
import { objectName, P2PAgent, PLAYHEAD_MARGIN_MS } from "./p2p.js";
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
   * @param {boolean} [o.parts] each part from its preload hint, as a player at the LL-HLS live
   *   edge (`latency` about 1), instead of whole segments
   * @param {number} [o.level] the video level index (0: lowest, as players start)
   * @param {boolean} [o.p2p] false: HTTP only, for baselines
   * and the agent's options (upload, uploadRate, corrupt, log).
   */
  constructor({ base, channel, token, latency = 8, level = 0, p2p = true, parts = false, ...agent }) {
    this.base = new URL(base, globalThis.location?.href).href;
    this.channel = channel;
    this.token = token;
    this.latency = latency;
    this.level = level;
    this.p2p = p2p;
    this.parts = parts;
    this.throughput = new ThroughputEstimator();
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
        base: this.base, channel: this.channel, rendition: objectName(video).split("/")[0], token: this.token, stats: this.stats,
        throughput: this.throughput, ...this.agentOptions,
      });
      await this.agent.start().catch((e) => this.agentOptions.log?.(`p2p: ${e.message}`));
    }
    this.runs = [video, audioURI].filter(Boolean).map((u) => (this.parts ? this.followParts(u) : this.follow(u)).catch(() => {}));
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
        await this.fetch(seg.uri, budget);
        if (performance.now() - started > budget + 1000) this.stats.late += 1;
        next = seg.msn + 1;
      }
      await sleep(Math.max(0.25, (pl.targetDuration || 2) / 4), signal);
    }
  }

  /** The object at `uri`, from peers while `budget` ms allow (`early`: see P2PAgent.fetch). */
  async fetch(uri, budget, early = false) {
    const http = async () => {
      const r = await get(withToken(uri, this.token), { signal: this.controller.signal, timeout: 20_000 });
      this.throughput.sample(r.bytes.byteLength, (r.doneAt - r.headersAt) / 1000);
      return r.bytes;
    };
    if (this.agent) await this.agent.fetch(uri, http, budget, { early });
    else this.stats.httpBytes += (await http()).byteLength;
    this.stats.objects += 1;
  }

  /** One track at the LL-HLS live edge: the preload-hinted part (RFC 8216bis §6.2.6) asked as
   *  soon as the playlist names it, while a blocking reload (§6.2.5.2) waits for the playlist
   *  that lists it. A player `latency` behind live has the part's whole duration in its buffer
   *  then: the part is due `latency` from now, less a margin. */
  async followParts(url) {
    const signal = this.controller.signal;
    const budget = Math.max(0, this.latency * 1000 - PLAYHEAD_MARGIN_MS);
    let block;
    let asked;
    while (!signal.aborted) {
      const u = new URL(withToken(url, this.token));
      if (block) {
        u.searchParams.set("_HLS_msn", String(block.msn));
        u.searchParams.set("_HLS_part", String(block.part));
      }
      const pl = parseMedia((await get(u.href, { as: "text", signal, timeout: 20_000 })).text, url);
      const last = pl.segments[pl.segments.length - 1];
      const hint = pl.preloadHint;
      if (!last || !pl.serverControl.canBlockReload || hint?.type !== "PART") {
        await sleep(Math.max(0.25, (pl.partTarget || 1) / 2), signal);
        continue;
      }
      block = last.complete ? { msn: last.msn + 1, part: 0 } : { msn: last.msn, part: last.parts.length };
      if (hint.uri === asked || hint.byteRangeStart !== undefined) continue;
      asked = hint.uri;
      const started = performance.now();
      this.fetch(hint.uri, budget, true).then(() => {
        if (performance.now() - started > budget + PLAYHEAD_MARGIN_MS) this.stats.late += 1;
      }).catch(() => {});
    }
  }
}
