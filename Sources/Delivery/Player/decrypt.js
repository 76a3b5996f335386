// HLS AES-128 (RFC 8216bis §5.2): segments and parts encrypted whole with AES-128-CBC and PKCS#7
// padding, decrypted here with WebCrypto before they are appended. Each segment and each part is
// its own resource, decrypted from its start with the IV of the EXT-X-KEY in effect (Antenne
// writes it, once per key period); without one, the segment's media sequence number (§5.2).

/** Keys are 16 bytes (AES-128); a key URL answering anything else is not one. */
const KEY_BYTES = 16;
/** Keys kept, by URI: a 60 s window rotated every segment names 31; a few windows' worth. */
const MAX_KEYS = 128;

/** The `EXT-X-KEY` attributes as a segment's key: `{ method, uri, iv }`, or undefined for NONE. */
export function parseKey(attributes, resolve) {
  const method = attributes.METHOD;
  if (!method || method === "NONE") return undefined;
  return {
    method,
    uri: attributes.URI === undefined ? undefined : resolve(attributes.URI),
    iv: attributes.IV ? hexBytes(attributes.IV) : undefined,
  };
}

/** `0x` and 32 hex digits into 16 bytes. */
function hexBytes(text) {
  const hex = text.replace(/^0[xX]/, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`EXT-X-KEY IV ${text} is not 16 bytes`);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i += 1) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The IV §5.2 gives a segment without one: its media sequence number, big-endian, 16 bytes. */
function sequenceIV(msn) {
  const out = new Uint8Array(16);
  let n = BigInt(msn);
  for (let i = 15; i >= 0 && n > 0n; i -= 1) { out[i] = Number(n & 0xffn); n >>= 8n; }
  return out;
}

const keys = new Map();

/** The CryptoKey at `uri`, fetched once with `fetchBytes(uri)` (which carries the token). */
function importKey(uri, fetchBytes) {
  let pending = keys.get(uri);
  if (!pending) {
    pending = fetchBytes(uri).then((bytes) => {
      if (bytes.byteLength !== KEY_BYTES) throw new Error(`the key at ${uri} is ${bytes.byteLength} bytes, not ${KEY_BYTES}`);
      return crypto.subtle.importKey("raw", bytes, { name: "AES-CBC" }, false, ["decrypt"]);
    });
    // A key that could not be had is asked again next time (a 503 from a key server).
    pending.catch(() => keys.delete(uri));
    keys.set(uri, pending);
    if (keys.size > MAX_KEYS) keys.delete(keys.keys().next().value);
  }
  return pending;
}

/** The clear bytes of `bytes`, a segment or part of segment `seg`: as they are when `seg` has no
 *  key. `fetchBytes(uri)` fetches a key's 16 bytes. */
export async function decryptMedia(bytes, seg, fetchBytes) {
  const key = seg.key;
  // SAMPLE-AES over fMP4 is `cbcs`: the samples stay encrypted, for the CDM (clearkey.js).
  if (!key || key.method === "SAMPLE-AES") return bytes;
  if (key.method !== "AES-128") throw new Error(`EXT-X-KEY METHOD=${key.method} is not supported`);
  const cryptoKey = await importKey(key.uri, fetchBytes);
  const iv = key.iv || sequenceIV(seg.msn);
  return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-CBC", iv }, cryptoKey, bytes));
}
