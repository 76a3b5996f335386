// Peer-assisted delivery (issue 17): viewers of one rendition fetch segments from each other over
// WebRTC data channels, signalled through Antenne's tracker (`/p2p/{channel}/{rendition}`, a
// WebSocket), and check every object a peer sends against its SHA-256 from Antenne
// (`/p2p/{channel}/{rendition}/digests.json`) before it goes anywhere near a SourceBuffer. A peer
// that sends a bad object is banned (and reported to the tracker); a slow or gone peer is dropped;
// the object then comes over HTTP, always with time left for it: P2P never causes a stall.
//
// Tracker messages are described in Sources/Tracker/TrackerMessage.swift and TrackerEvent.swift.
// Between peers, on one ordered data channel:
//   {"q":7,"o":"720p/41.m4s"}   a request
//   {"a":7,"n":81234}           its answer: n bytes follow as binary messages (n = -1: not held)
//   {"h":"720p/41.2.m4s"}       the sender holds a new object (sooner than the tracker's announce)
// Answers come in the order of the requests, one at a time.
//
// At the LL-HLS live edge every player learns of a new part at the same moment (its preload
// hint, RFC 8216bis §6.2.6) and needs it within a second. There a few players, the same few at
// every player's count (`seeds`), fetch it over HTTP as the server writes it and tell their
// connected peers at once; the others wait for a holder until their deadline, less the time HTTP
// would need for an object of that size.

/** Connections a player opens to the peers it is told of when it joins: enough sources, few
 *  enough ICE sessions. */
export const MAX_CONNECTIONS = 6;
/** Connections a player keeps in all, the ones others opened to it included: twice what it
 *  opens, so that a swarm whose older members have opened theirs still takes newcomers. */
const MAX_ACCEPTED = 2 * MAX_CONNECTIONS;
/** Binary message size: 16 KiB, what every browser's SCTP stack passes without trouble
 *  (RFC 8831 §6.6). */
const CHUNK = 16 * 1024;
/** Objects kept to serve others: a 60 s window of 2 s segments, two tracks, and parts. */
const MAX_OBJECTS = 96;
const MAX_STORE_BYTES = 96 * 1024 * 1024;
/** Objects named in one announce: the tracker takes at most 64 (TrackerLimits). */
const MAX_ANNOUNCED = 64;
/** Largest object taken from a peer: a 2 s segment at 100 Mbit/s is 25 MB. */
const MAX_OBJECT_BYTES = 32 * 1024 * 1024;
/** Default upload cap, bytes per second: 4 Mbit/s, two or three peers at a mid rung. */
export const UPLOAD_BYTES_PER_SECOND = 500_000;
/** Time (ms) kept for HTTP after peers at most, and while the size of such objects or the
 *  throughput is not known yet: a segment of a few hundred KB over a poor connection. */
export const HTTP_RESERVE_MS = 1500;
/** Time (ms) kept for HTTP at least: a request's round trip and the server's answer over a
 *  distant or busy link, whatever the size. */
export const MIN_HTTP_RESERVE_MS = 150;
/** The reserve counts this many times an object's transfer at the measured HTTP throughput, and
 *  this many times the longest recent HTTP fetch of an object already written: the server and
 *  the link may slow down while peers are tried. */
const RESERVE_TRANSFERS = 2;
/** Sizes and HTTP times of recent objects decay by this factor at each new one of their kind,
 *  so that the largest or slowest recent one (a part with a key frame) sets the reserve for a
 *  while. */
const SIZE_DECAY = 0.9;
/** Below this time to the deadline (ms, beyond the reserve) peers are not asked: a few round
 *  trips over a data channel, a part's transfer within the upload cap's one-second burst. */
const MIN_PEER_MS = 100;
/** Time (ms) a player wants an object announced ahead of time (a preload hint) before the buffer
 *  ahead of the playhead runs out: appending and decoding it, timer slack. */
export const PLAYHEAD_MARGIN_MS = 150;
/** Players of a swarm that fetch each object announced ahead of time over HTTP, to share it:
 *  two, so that one slow or gone first holder still leaves one. */
export const SEEDERS = 2;
/** Longest wait (ms) for someone to hold an object nobody announced yet: each peer waits a
 *  random part of it, so the few whose wait ends first fetch it over HTTP and share it. */
export const SEED_WAIT_MS = 3000;
/** Announces are sent at most this often (ms); the tracker allows 20 messages a second. Soon
 *  after a new object: the peers waiting for a first holder hear of it sooner. */
const ANNOUNCE_EVERY = 100;
/** A peer that fails (times out, closes) this many times is dropped. */
const MAX_PEER_FAILURES = 2;
/** Data waiting in a data channel's send buffer before more is queued (bytes). */
const MAX_BUFFERED = 1024 * 1024;
/** Digests kept per rendition: a 60 s window of 2 s segments with four parts each, twice. */
const MAX_DIGESTS = 300;
/** The media sequence number of `rendition/{msn}.m4s` or `rendition/{msn}.{part}.m4s`. */
function msnOf(name) {
  return Number.parseInt(name.split("/")[1], 10);
}
/** What a test peer writes over the end of every object it serves (corrupt mode). */
export const CORRUPT_MARKER = "ANTENNE-P2P-CORRUPT";

/** `rendition/file` of a media URI (`…/hls/{channel}/{rendition}/{file}?token=…`). */
export function objectName(uri) {
  const parts = new URL(uri, globalThis.location?.href).pathname.split("/");
  return parts.slice(-2).join("/");
}

/** Whether to upload by default: not on a metered, data-saving or cellular connection
 *  (navigator.connection, where the browser has it). */
export function uploadByDefault(connection = globalThis.navigator?.connection) {
  if (!connection) return true;
  if (connection.saveData) return false;
  if (connection.type === "cellular") return false;
  return !["slow-2g", "2g", "3g"].includes(connection.effectiveType);
}

/** A token bucket over bytes: `rate` per second, one second's worth at once. */
class ByteBudget {
  constructor(rate) {
    this.rate = rate;
    this.tokens = rate;
    this.at = performance.now();
  }

  /** Resolves when `bytes` may be sent. */
  async take(bytes) {
    for (;;) {
      const now = performance.now();
      this.tokens = Math.min(this.rate, this.tokens + ((now - this.at) / 1000) * this.rate);
      this.at = now;
      if (this.tokens >= bytes) { this.tokens -= bytes; return; }
      await new Promise((resolve) => setTimeout(resolve, Math.max(5, ((bytes - this.tokens) / this.rate) * 1000)));
    }
  }
}

/** What sets an object's expected size: its rendition, and whether it is a part
 *  (`41.2.m4s`) or a segment (`41.m4s`). */
function sizeKey(name) {
  const [rendition, file = ""] = name.split("/");
  return `${rendition}/${file.split(".").length > 2 ? "part" : "segment"}`;
}

/** A 32-bit FNV-1a hash of a string: the same rank of a peer for an object at every player. */
function rank(id, name) {
  let h = 0x811c9dc5;
  const s = `${id}|${name}`;
  for (let i = 0; i < s.length; i += 1) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** `promise`, or undefined after `ms`. */
function within(promise, ms) {
  let timer;
  return Promise.race([promise, new Promise((resolve) => { timer = setTimeout(resolve, Math.max(0, ms)); })])
    .finally(() => clearTimeout(timer));
}

/** `map[key]`, a decaying maximum: `value` or the previous one decayed, whichever is larger. */
function decayingMax(map, key, value) {
  map.set(key, Math.max(value, (map.get(key) ?? 0) * SIZE_DECAY));
}

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** One other viewer: what it holds (from the tracker) and, once connected, its data channel. */
class Peer {
  constructor(id) {
    this.id = id;
    this.objects = new Set();
    this.pc = undefined;
    this.dc = undefined;
    this.candidates = [];
    this.failures = 0;
    this.nextRequest = 1;
    this.requests = new Map();
    this.incoming = undefined;
    this.serving = Promise.resolve();
    /** Objects it said it holds over the data channel since (`{"h":…}`), newest last. */
    this.recent = new Set();
  }

  holds(name) { return this.objects.has(name) || this.recent.has(name); }

  get open() { return this.dc?.readyState === "open"; }

  close() {
    for (const r of this.requests.values()) r.reject(new Error("peer gone"));
    this.requests.clear();
    try { this.dc?.close(); } catch { /* closed already */ }
    try { this.pc?.close(); } catch { /* closed already */ }
    this.dc = undefined;
    this.pc = undefined;
  }
}

export class P2PAgent {
  /**
   * @param {object} o
   * @param {string} o.base the server's base URL (`http://host:8080/`)
   * @param {string} o.channel
   * @param {string} o.rendition the video rendition whose swarm to join
   * @param {string} [o.token] the viewer's playback token
   * @param {boolean} [o.upload] serve others (default: `uploadByDefault()`)
   * @param {number} [o.uploadRate] upload cap, bytes per second
   * @param {object} [o.stats] counters to add to: `{ httpBytes, peerBytes, uploadBytes, rejected,
   *   fromPeers, fromHttp, digestBytes }` (digestBytes: the digests' listings, what checking costs)
   * @param {{ estimate: number, samples: number }} [o.throughput] the HTTP throughput (bits per
   *   second; abr.js's ThroughputEstimator), for the time kept for HTTP
   * @param {(m: string) => void} [o.log]
   * @param {boolean} [o.corrupt] test peers only: serve corrupted objects
   */
  constructor({ base, channel, rendition, token, upload, uploadRate = UPLOAD_BYTES_PER_SECOND, stats, throughput, log, corrupt = false }) {
    this.base = new URL(base, globalThis.location?.href);
    this.channel = channel;
    this.rendition = rendition;
    this.token = token;
    this.upload = upload ?? uploadByDefault();
    this.budget = new ByteBudget(uploadRate);
    this.stats = stats ?? {};
    for (const k of ["httpBytes", "peerBytes", "uploadBytes", "rejected", "fromPeers", "fromHttp", "digestBytes"]) this.stats[k] ??= 0;
    this.log = log ?? (() => {});
    this.corrupt = corrupt;
    this.throughput = throughput;
    /** By `sizeKey`: the largest recent object's size, and the longest recent HTTP fetch (ms) of
     *  one already written, decaying. */
    this.sizes = new Map();
    this.httpTimes = new Map();
    this.peers = new Map();
    this.banned = new Set();
    this.store = new Map();
    this.storeBytes = 0;
    this.digests = new Map();
    this.waiters = new Map();
    this.id = undefined;
    this.iceServers = [];
    this.closed = false;
    this.announceTimer = undefined;
    this.lastAnnounce = 0;
  }

  /** Joined a swarm, with the tracker's connection open. */
  get usable() { return !this.closed && this.id !== undefined && !!globalThis.crypto?.subtle && typeof RTCPeerConnection === "function"; }

  url(path) {
    const u = new URL(path, this.base);
    if (this.token) u.searchParams.set("token", this.token);
    return u;
  }

  /** Connects to the tracker; resolves once welcomed, rejects when refused or unreachable. */
  start() {
    const u = this.url(`p2p/${encodeURIComponent(this.channel)}/${encodeURIComponent(this.rendition)}`);
    u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(u.href);
      this.ws = ws;
      ws.onmessage = (event) => {
        let message;
        try { message = JSON.parse(event.data); } catch { return; }
        if (message.t === "welcome") resolve();
        if (message.t === "refused") { this.log(`p2p: tracker refused: ${message.reason}`); reject(new Error(message.reason)); }
        this.handle(message);
      };
      ws.onerror = () => reject(new Error("tracker unreachable"));
      ws.onclose = () => {
        reject(new Error("tracker closed"));
        // Open data channels go on; no new peers come.
        this.ws = undefined;
      };
    });
  }

  close() {
    this.closed = true;
    clearTimeout(this.announceTimer);
    try { this.ws?.close(); } catch { /* closed */ }
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
    for (const set of this.waiters.values()) for (const w of set) w(false);
    this.waiters.clear();
  }

  send(message) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  peer(id) {
    let peer = this.peers.get(id);
    if (!peer) { peer = new Peer(id); this.peers.set(id, peer); }
    return peer;
  }

  get connections() { return [...this.peers.values()].filter((p) => p.pc).length; }

  handle(m) {
    switch (m.t) {
      case "welcome": {
        this.id = m.id;
        this.iceServers = [...(m.ice || []).map((urls) => ({ urls }))];
        if (m.stunPort) this.iceServers.push({ urls: `stun:${this.base.hostname}:${m.stunPort}` });
        for (const p of m.peers || []) this.peer(p.id).objects = new Set(p.o);
        // The newest peers first: they stay longest.
        for (const p of (m.peers || []).slice(-MAX_CONNECTIONS).reverse()) {
          this.connect(this.peer(p.id)).catch((e) => this.log(`p2p: connect to ${p.id}: ${e.message}`));
        }
        this.announce();
        break;
      }
      case "have": {
        if (this.banned.has(m.from)) break;
        const peer = this.peer(m.from);
        peer.objects = new Set(m.o);
        if (peer.open) for (const name of m.o) this.wake(name, true);
        break;
      }
      case "left": {
        this.peers.get(m.from)?.close();
        this.peers.delete(m.from);
        break;
      }
      case "signal": this.signal(m.from, m.d).catch((e) => this.log(`p2p: signal from ${m.from}: ${e.message}`)); break;
      default: break;
    }
  }

  // MARK: connections

  makeConnection(peer) {
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    peer.pc = pc;
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.send({ t: "signal", to: peer.id, d: { kind: "candidate", candidate: candidate.candidate, mid: candidate.sdpMid ?? undefined, mline: candidate.sdpMLineIndex ?? undefined } });
    };
    pc.onconnectionstatechange = () => {
      // Disconnected (consent lost, RFC 7675) may come back, but a peer that fails us now costs
      // time: it is dropped, and may connect again.
      if (["disconnected", "failed", "closed"].includes(pc.connectionState)) this.drop(peer, `connection ${pc.connectionState}`);
    };
    pc.ondatachannel = ({ channel }) => this.attach(peer, channel);
    return pc;
  }

  async connect(peer) {
    if (peer.pc || this.banned.has(peer.id) || this.connections >= MAX_CONNECTIONS) return;
    const pc = this.makeConnection(peer);
    this.attach(peer, pc.createDataChannel("antenne", { ordered: true }));
    await pc.setLocalDescription(await pc.createOffer());
    this.send({ t: "signal", to: peer.id, d: { kind: "offer", sdp: pc.localDescription.sdp } });
  }

  async signal(from, d) {
    if (this.banned.has(from) || !d) return;
    const peer = this.peer(from);
    if (d.kind === "offer") {
      if (peer.pc || this.connections >= MAX_ACCEPTED) return;
      const pc = this.makeConnection(peer);
      await pc.setRemoteDescription({ type: "offer", sdp: d.sdp });
      await this.flushCandidates(peer);
      await pc.setLocalDescription(await pc.createAnswer());
      this.send({ t: "signal", to: from, d: { kind: "answer", sdp: pc.localDescription.sdp } });
    } else if (d.kind === "answer" && peer.pc) {
      await peer.pc.setRemoteDescription({ type: "answer", sdp: d.sdp });
      await this.flushCandidates(peer);
    } else if (d.kind === "candidate") {
      peer.candidates.push({ candidate: d.candidate, sdpMid: d.mid, sdpMLineIndex: d.mline });
      if (peer.pc?.remoteDescription) await this.flushCandidates(peer);
    }
  }

  async flushCandidates(peer) {
    const pending = peer.candidates.splice(0);
    for (const c of pending) await peer.pc?.addIceCandidate(c).catch(() => {});
  }

  attach(peer, dc) {
    dc.binaryType = "arraybuffer";
    dc.bufferedAmountLowThreshold = MAX_BUFFERED / 2;
    peer.dc = dc;
    dc.onopen = () => { for (const name of peer.objects) this.wake(name, true); };
    dc.onclose = () => this.drop(peer, "data channel closed");
    dc.onmessage = ({ data }) => this.receive(peer, data);
  }

  /** Closes the connection to `peer`; it may connect again later unless banned. */
  drop(peer, why) {
    if (!peer.pc && !peer.dc) return;
    this.log(`p2p: drop ${peer.id}: ${why}`);
    peer.close();
  }

  /** A peer that sent a bad object: never asked again, its offers ignored, and reported. */
  ban(peer, name) {
    this.stats.rejected += 1;
    this.banned.add(peer.id);
    this.log(`p2p: ban ${peer.id}: ${name} failed its digest`);
    this.send({ t: "report", peer: peer.id });
    peer.close();
    this.peers.delete(peer.id);
  }

  // MARK: the object exchange

  receive(peer, data) {
    if (typeof data === "string") {
      let m;
      try { m = JSON.parse(data); } catch { return this.drop(peer, "unreadable message"); }
      if (m.q !== undefined) { this.serve(peer, m.q, String(m.o)); return undefined; }
      if (m.h !== undefined) { this.held(peer, String(m.h)); return undefined; }
      if (m.a !== undefined) {
        const request = peer.requests.get(m.a);
        if (m.n < 0 || m.n > MAX_OBJECT_BYTES || !Number.isInteger(m.n)) {
          peer.requests.delete(m.a);
          request?.reject(new Error("not held"));
          return undefined;
        }
        peer.incoming = { id: m.a, bytes: new Uint8Array(m.n), got: 0 };
        if (m.n === 0) this.complete(peer);
      }
      return undefined;
    }
    const incoming = peer.incoming;
    if (!incoming) return this.drop(peer, "data without an answer");
    const chunk = new Uint8Array(data);
    if (incoming.got + chunk.byteLength > incoming.bytes.byteLength) return this.drop(peer, "more data than announced");
    incoming.bytes.set(chunk, incoming.got);
    incoming.got += chunk.byteLength;
    if (incoming.got === incoming.bytes.byteLength) this.complete(peer);
    return undefined;
  }

  complete(peer) {
    const { id, bytes } = peer.incoming;
    peer.incoming = undefined;
    const request = peer.requests.get(id);
    peer.requests.delete(id);
    request?.resolve(bytes);
  }

  /** Answers requests one after the other, within the upload cap. */
  serve(peer, id, name) {
    peer.serving = peer.serving.then(async () => {
      const held = this.upload ? this.store.get(name) : undefined;
      if (!peer.open) return;
      if (!held) { peer.dc.send(JSON.stringify({ a: id, n: -1 })); return; }
      let bytes = held;
      if (this.corrupt) {
        bytes = held.slice();
        const marker = new TextEncoder().encode(CORRUPT_MARKER);
        bytes.set(marker.subarray(0, Math.min(marker.length, bytes.length)), Math.max(0, bytes.length - marker.length));
      }
      peer.dc.send(JSON.stringify({ a: id, n: bytes.byteLength }));
      for (let at = 0; at < bytes.byteLength; at += CHUNK) {
        const chunk = bytes.subarray(at, Math.min(bytes.byteLength, at + CHUNK));
        await this.budget.take(chunk.byteLength);
        if (!peer.open) return;
        if (peer.dc.bufferedAmount > MAX_BUFFERED) {
          await new Promise((resolve) => { peer.dc.addEventListener("bufferedamountlow", resolve, { once: true }); setTimeout(resolve, 1000); });
          if (!peer.open) return;
        }
        peer.dc.send(chunk);
        this.stats.uploadBytes += chunk.byteLength;
      }
    }).catch((e) => this.drop(peer, `serving: ${e.message}`));
  }

  /** `name` from `peer`, within `timeout` ms. */
  request(peer, name, timeout) {
    return new Promise((resolve, reject) => {
      const id = peer.nextRequest++;
      const timer = setTimeout(() => {
        peer.requests.delete(id);
        reject(new Error(`timed out after ${Math.round(timeout)} ms`));
      }, timeout);
      peer.requests.set(id, {
        resolve: (b) => { clearTimeout(timer); resolve(b); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      try { peer.dc.send(JSON.stringify({ q: id, o: name })); } catch (e) { peer.requests.get(id)?.reject(e); }
    });
  }

  /** The connected peer to ask for `name`: one that holds it, fewest failures and requests. */
  holder(name) {
    let best;
    for (const p of this.peers.values()) {
      if (!p.open || !p.holds(name) || this.banned.has(p.id)) continue;
      if (!best || p.failures + p.requests.size < best.failures + best.requests.size) best = p;
    }
    return best;
  }

  /** Resolves true when a connected peer announces `name`, false after `ms`. */
  announced(name, ms) {
    if (ms <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      let set = this.waiters.get(name);
      if (!set) { set = new Set(); this.waiters.set(name, set); }
      const done = (value) => { clearTimeout(timer); set.delete(done); if (!set.size) this.waiters.delete(name); resolve(value); };
      const timer = setTimeout(() => done(false), ms);
      set.add(done);
    });
  }

  wake(name, value) {
    for (const w of [...(this.waiters.get(name) || [])]) w(value);
  }

  /** A peer's `{"h":name}`: it holds `name` now. */
  held(peer, name) {
    peer.recent.add(name);
    if (peer.recent.size > MAX_ANNOUNCED) peer.recent.delete(peer.recent.values().next().value);
    this.wake(name, true);
  }

  /** Bytes per second of HTTP, once measured. */
  get httpRate() {
    return this.throughput?.samples ? this.throughput.estimate / 8 : undefined;
  }

  /** Time (ms) kept for HTTP after peers for `name`: a round trip, and its transfer (twice) at
   *  the measured throughput, for an object of the size of the recent ones of its kind; or twice
   *  the longest recent HTTP fetch of one, when longer. */
  httpReserve(name) {
    const key = sizeKey(name);
    const size = this.sizes.get(key);
    const rate = this.httpRate;
    if (!size || !rate) return HTTP_RESERVE_MS;
    const took = this.httpTimes.get(key) ?? 0;
    return Math.min(HTTP_RESERVE_MS, Math.max(MIN_HTTP_RESERVE_MS + (RESERVE_TRANSFERS * size * 1000) / rate, RESERVE_TRANSFERS * took));
  }

  /** Whether this player is one of the `SEEDERS` first holders of `name`: the members of the
   *  swarm it knows ranked by a hash of their id and the name, so that every player finds the
   *  same few (as far as they know the same swarm), a different few for each object. A player
   *  that does not upload leaves it to others. */
  seeds(name) {
    if (!this.upload) return false;
    const mine = rank(this.id, name);
    let above = 0;
    for (const id of this.peers.keys()) if (!this.banned.has(id) && rank(id, name) > mine) above += 1;
    return above < SEEDERS;
  }

  /**
   * The bytes of the object at `uri`: from a peer while `budget` ms (time to the player's
   * deadline for it) leaves room, checked against its digest, else from `http()` (a promise of
   * bytes). Either way the player keeps it to serve others. With `early`, the object is asked
   * ahead of time (a preload hint: the server answers as it writes it): the seeders fetch it
   * over HTTP at once, the others wait for a holder.
   */
  async fetch(uri, http, budget, { early = false } = {}) {
    const name = objectName(uri);
    const held = this.store.get(name);
    if (held) return held;
    const deadline = performance.now() + budget - this.httpReserve(name);
    let waited = !this.usable || (early && this.seeds(name));
    while (this.usable && deadline - performance.now() > MIN_PEER_MS) {
      const peer = this.holder(name);
      if (!peer) {
        // Nobody holds it: wait for someone who fetched it first, once; for a segment, a random
        // while, so that the few whose wait ends first fetch it and share it.
        if (waited) break;
        waited = true;
        const wait = deadline - performance.now() - MIN_PEER_MS;
        if (!(await this.announced(name, early ? wait : Math.min(wait, Math.random() * SEED_WAIT_MS)))) break;
        continue;
      }
      const since = performance.now();
      // The digest of a new object is listed by now (the holder has it): asked while it comes.
      if (!this.digestOf(name)) this.refreshDigests(name.split("/")[0], since, msnOf(name));
      let bytes;
      try {
        bytes = await this.request(peer, name, deadline - performance.now());
      } catch (error) {
        peer.failures += 1;
        this.log(`p2p: ${name} from ${peer.id}: ${error.message}`);
        if (peer.failures >= MAX_PEER_FAILURES) this.drop(peer, "too many failures");
        continue;
      }
      const verdict = await this.verify(name, bytes, since, deadline);
      if (verdict === "ok") {
        this.stats.peerBytes += bytes.byteLength;
        this.stats.fromPeers += 1;
        this.keep(name, bytes);
        return bytes;
      }
      if (verdict === "bad") this.ban(peer, name);
      else break;
    }
    // Timed when the object is written already (not asked ahead of time, or someone holds it):
    // what HTTP takes then is what the reserve is for.
    const written = !early || [...this.peers.values()].some((p) => p.holds(name));
    const asked = performance.now();
    const bytes = await http();
    this.stats.httpBytes += bytes.byteLength;
    this.stats.fromHttp += 1;
    this.keep(name, bytes, written ? performance.now() - asked : 0);
    return bytes;
  }

  digestOf(name) {
    const [rendition, file] = name.split("/");
    return this.digests.get(rendition)?.objects.get(file);
  }

  /** "ok", "bad", or "unknown" (no digest listed for it, or not by `deadline`: not used, but the
   *  peer is not blamed). The digests are asked again unless listed as of `since` (when the
   *  object was known held). */
  async verify(name, bytes, since = performance.now(), deadline = Infinity) {
    let expected = this.digestOf(name);
    if (!expected) {
      await within(this.refreshDigests(name.split("/")[0], since, msnOf(name)), deadline - performance.now());
      expected = this.digestOf(name);
    }
    if (!expected) return "unknown";
    return (await sha256(bytes)) === expected ? "ok" : "bad";
  }

  /** The digests of `rendition` as asked at `neededAt` or later: one request in flight at a
   *  time, shared by the objects that wait for it. `from`: the segment of the object wanted; only
   *  that segment's and newer ones' digests are asked (`?from=`), and added to those known. */
  async refreshDigests(rendition, neededAt, from) {
    let entry = this.digests.get(rendition);
    if (!entry) { entry = { objects: new Map(), askedAt: -Infinity, loading: undefined }; this.digests.set(rendition, entry); }
    for (;;) {
      if (entry.loading) {
        const fresh = entry.loadingSince >= neededAt;
        await entry.loading;
        if (fresh) return;
        continue;
      }
      if (entry.askedAt >= neededAt) return;
      break;
    }
    entry.loadingSince = performance.now();
    const query = Number.isInteger(from) ? `?from=${from}` : "";
    entry.loading = fetch(this.url(`p2p/${encodeURIComponent(this.channel)}/${encodeURIComponent(rendition)}/digests.json${query}`), { cache: "no-store", credentials: "omit" })
      .then((r) => (r.ok ? r.text() : "{}"))
      .then((text) => {
        this.stats.digestBytes += text.length;
        for (const [file, digest] of Object.entries(JSON.parse(text).objects || {})) entry.objects.set(file, digest);
        // Oldest out: the window's objects and then some.
        for (const file of entry.objects.keys()) {
          if (entry.objects.size <= MAX_DIGESTS) break;
          entry.objects.delete(file);
        }
      })
      .catch((error) => this.log(`digests of ${rendition}: ${error.message}`))
      .finally(() => { entry.askedAt = entry.loadingSince; entry.loading = undefined; });
    await entry.loading;
  }

  /** Keeps an object to serve, oldest out first, and announces it: to the connected peers at
   *  once, to the swarm through the tracker. `took`: the time (ms) HTTP took for it, when it
   *  was written already (else 0: the longest recent time decays). */
  keep(name, bytes, took = 0) {
    if (this.store.has(name)) return;
    this.store.set(name, bytes);
    this.storeBytes += bytes.byteLength;
    decayingMax(this.sizes, sizeKey(name), bytes.byteLength);
    decayingMax(this.httpTimes, sizeKey(name), took);
    if (this.upload) {
      const have = JSON.stringify({ h: name });
      for (const p of this.peers.values()) if (p.open) try { p.dc.send(have); } catch { /* closing */ }
    }
    while ((this.store.size > MAX_OBJECTS || this.storeBytes > MAX_STORE_BYTES) && this.store.size > 1) {
      const [oldest, old] = this.store.entries().next().value;
      this.store.delete(oldest);
      this.storeBytes -= old.byteLength;
    }
    this.scheduleAnnounce();
  }

  scheduleAnnounce() {
    if (this.announceTimer !== undefined) return;
    const wait = Math.max(0, this.lastAnnounce + ANNOUNCE_EVERY - performance.now());
    this.announceTimer = setTimeout(() => { this.announceTimer = undefined; this.announce(); }, wait);
  }

  /** Tells the swarm what this player holds: nothing when it does not upload. */
  announce() {
    this.lastAnnounce = performance.now();
    const names = this.upload ? [...this.store.keys()].slice(-MAX_ANNOUNCED) : [];
    this.send({ t: "have", o: names });
  }
}
