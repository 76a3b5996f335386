// Common encryption `cbcs` (ISO/IEC 23001-7) played with EME and the W3C Clear Key system: the
// browser's CDM decrypts the samples, this module only gives it the keys. Antenne names each
// fragment's key in a `seig` sample group (key rotation without another init segment); a key ID
// ends with its key period as 8 bytes big-endian, and the key of period p is the raw 16 bytes at
// `{keys}/{p}` (the directory of an HLS `EXT-X-KEY:METHOD=SAMPLE-AES` URI, or the MPD's
// `dashif:Laurl`), fetched with the viewer's token like every key. Each key is handed to the CDM
// as a Clear Key license: a JWK set (EME §9.1.4).

const KEY_SYSTEM = "org.w3.clearkey";
/** Keys are 16 bytes (AES-128); a key URL answering anything else is not one. */
const KEY_BYTES = 16;
/** Key IDs kept per media element: a 60 s window rotated every segment names 31. */
const MAX_SESSIONS = 64;
/** Bytes kept from the end of a chunk, so that a `seig` entry cut between two chunks is found:
 *  the entry's KID ends 40 bytes after its `sgpd` type. */
const CARRY = 64;

const ascii = (text) => [...text].map((c) => c.charCodeAt(0));
const SGPD = ascii("sgpd");
const SEIG = ascii("seig");

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function hex(bytes) { return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(""); }

function matches(bytes, at, pattern) {
  for (let i = 0; i < pattern.length; i += 1) if (bytes[at + i] !== pattern[i]) return false;
  return true;
}

/** The key IDs named by the `seig` sample group descriptions (`sgpd`, ISO/IEC 14496-12 §8.9.3) in
 *  `bytes`: after the type come version and flags, grouping_type `seig`, default_length,
 *  entry_count, then the entry: 4 bytes (reserved, pattern, isProtected, Per_Sample_IV_Size) and
 *  the 16-byte KID (ISO/IEC 23001-7 §6.2). */
export function fragmentKeyIDs(bytes) {
  const out = new Map();
  for (let i = 0; i + 40 <= bytes.length; i += 1) {
    if (bytes[i] !== 0x73 || !matches(bytes, i, SGPD) || !matches(bytes, i + 8, SEIG)) continue;
    const kid = bytes.slice(i + 24, i + 40);
    out.set(hex(kid), kid);
  }
  return [...out.values()];
}

/** Gecko (Firefox) decrypts a `cbcs` sample only with the key ID and constant IV of its init
 *  segment's `tenc`: its MP4 demuxer drops a `seig` entry that has a constant IV
 *  (`CencSampleEncryptionInfoEntry::Init` in dom/media/mp4/MoofParser.cpp wants an 8- or 16-byte
 *  per-sample IV when the entry is protected) and falls back to `tenc`, and its CDM bridge hands
 *  a `cbcs` sample's constant IV alone to the CDM (`ChromiumCDMParent::InitCDMInputBuffer`), so
 *  no `seig` Gecko reads could name another key. There, the fragments of each key period follow
 *  an init segment whose `tenc` names their key (``keyedInit``). */
export const KEY_IN_INIT = typeof navigator !== "undefined" && /\bGecko\/\d/.test(navigator.userAgent);

const TENC = ascii("tenc");
/** A constant IV is 8 or 16 bytes (ISO/IEC 23001-7 §9.1); Antenne's are 16. */
const IV_BYTES = 16;

/** The key ID and constant IV of the first `seig` entry in `bytes` (a fragment or a chunk of
 *  whole boxes, see ``fragmentKeyIDs`` for the layout; after the KID come constant_IV_size and
 *  the IV), as `{ kid, iv }`; undefined without one. */
export function fragmentProtection(bytes) {
  for (let i = 0; i + 41 + IV_BYTES <= bytes.length; i += 1) {
    if (bytes[i] !== 0x73 || !matches(bytes, i, SGPD) || !matches(bytes, i + 8, SEIG)) continue;
    if (bytes[i + 23] !== 0 || bytes[i + 40] !== IV_BYTES) return undefined;
    return { kid: bytes.slice(i + 24, i + 40), iv: bytes.slice(i + 41, i + 41 + IV_BYTES) };
  }
  return undefined;
}

/** Where the default KID of an init segment's `tenc` (version 1, ISO/IEC 23001-7 §8.2) starts,
 *  when a 16-byte constant IV follows it: after the type come version and flags, reserved,
 *  the pattern, isProtected, Per_Sample_IV_Size 0, the KID, constant_IV_size and the IV. */
function tencKID(init) {
  for (let i = 4; i + 29 + IV_BYTES <= init.length; i += 1) {
    if (init[i] !== 0x74 || !matches(init, i, TENC)) continue;
    return init[i + 4] === 1 && init[i + 11] === 0 && init[i + 28] === IV_BYTES ? i + 12 : undefined;
  }
  return undefined;
}

/** The `{ kid, iv }` of an init segment's `tenc` (a Uint8Array), or undefined. */
export function initProtection(init) {
  const at = tencKID(init);
  return at === undefined ? undefined : { kid: init.slice(at, at + 16), iv: init.slice(at + 17, at + 17 + IV_BYTES) };
}

/** A copy of `init` whose `tenc` names `protection` (a ``fragmentProtection``): same size, only
 *  the KID and the constant IV change. Undefined when `init` has no such `tenc`. */
export function keyedInit(init, protection) {
  const bytes = init.slice();
  const at = tencKID(bytes);
  if (at === undefined) return undefined;
  bytes.set(protection.kid, at);
  bytes.set(protection.iv, at + 17);
  return bytes;
}

/** Whether two `{ kid, iv }` are the same. */
export function sameProtection(a, b) {
  return !!a && !!b && hex(a.kid) === hex(b.kid) && hex(a.iv) === hex(b.iv);
}

/** The key period a key ID names: its last 8 bytes, big-endian. */
export function periodOf(kid) {
  let n = 0n;
  for (let i = 8; i < 16; i += 1) n = (n << 8n) | BigInt(kid[i]);
  return n;
}

/** `uri` (a key URL of some period, or the keys directory) with `period` in place of its last
 *  path segment. */
export function keyURL(uri, period) {
  const url = new URL(uri);
  url.pathname = url.pathname.replace(/[^/]*$/, String(period));
  return url.href;
}

/** The Clear Key CDM of one media element, with a session per key ID. */
export class ClearKey {
  /**
   * @param video the media element
   * @param fetchBytes fetches a key URL's bytes (with the viewer's token)
   */
  constructor(video, fetchBytes) {
    this.video = video;
    this.fetchBytes = fetchBytes;
    this.keys = undefined;
    this.sessions = new Map();
    this.tail = new Uint8Array(0);
  }

  /** The MediaKeys on the element, made once: Clear Key with `cbcs` for both mime types. */
  attach(videoMime, audioMime) {
    this.keys ??= (async () => {
      if (!navigator.requestMediaKeySystemAccess) throw new Error("this browser has no EME: the stream is encrypted (cbcs)");
      const capability = (contentType) => [{ contentType, encryptionScheme: "cbcs" }];
      const access = await navigator.requestMediaKeySystemAccess(KEY_SYSTEM, [{
        initDataTypes: ["keyids", "cenc"],
        videoCapabilities: videoMime ? capability(videoMime) : undefined,
        audioCapabilities: audioMime ? capability(audioMime) : undefined,
      }]);
      const keys = await access.createMediaKeys();
      await this.video.setMediaKeys(keys);
      return keys;
    })();
    return this.keys;
  }

  /** Resolves once the CDM has the key of every fragment in `bytes` (a segment, a part, or a
   *  chunk of one as it arrives), fetched from the keys of `uri`. */
  async ensure(bytes, uri) {
    const joined = new Uint8Array(this.tail.length + bytes.length);
    joined.set(this.tail);
    joined.set(bytes, this.tail.length);
    this.tail = joined.slice(Math.max(0, joined.length - CARRY));
    await Promise.all(fragmentKeyIDs(joined).map((kid) => this.session(kid, uri)));
  }

  session(kid, uri) {
    const id = hex(kid);
    let pending = this.sessions.get(id);
    if (!pending) {
      pending = this.open(kid, keyURL(uri, periodOf(kid)));
      // A key that could not be had is asked again next time (a 503 from a key server).
      pending.catch(() => this.sessions.delete(id));
      this.sessions.set(id, pending);
      if (this.sessions.size > MAX_SESSIONS) {
        const [oldest, closing] = this.sessions.entries().next().value;
        this.sessions.delete(oldest);
        closing.then((s) => s.close()).catch(() => {});
      }
    }
    return pending;
  }

  /** A session holding the key of `kid`: the license request (Clear Key's `keyids` form, EME
   *  §9.1.3) is answered with the key at `url`. */
  async open(kid, url) {
    const keys = await this.keys;
    const key = new Uint8Array(await this.fetchBytes(url));
    if (key.byteLength !== KEY_BYTES) throw new Error(`the key at ${url} is ${key.byteLength} bytes, not ${KEY_BYTES}`);
    const session = keys.createSession("temporary");
    const message = new Promise((resolve) => session.addEventListener("message", resolve, { once: true }));
    const encode = (value) => new TextEncoder().encode(JSON.stringify(value));
    await session.generateRequest("keyids", encode({ kids: [base64url(kid)] }));
    await message;
    await session.update(encode({ keys: [{ kty: "oct", kid: base64url(kid), k: base64url(key) }], type: "temporary" }));
    return session;
  }
}
