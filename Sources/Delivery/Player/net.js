// HTTP for the player: the origin (or edge) it talks to, the viewer's token on every request,
// timed transfers for the throughput estimate, and errors that say what happened.

/** A response that is not a success. `status` 0 is a network failure (no response at all). */
export class HttpError extends Error {
  constructor(status, url, message) {
    super(message || `HTTP ${status} for ${url}`);
    this.name = "HttpError";
    this.status = status;
    this.url = url;
  }

  /** 401, 403, 410: the viewer may not watch (no token, a bad one, an expired one). Retrying
   *  will not help. */
  get refused() { return this.status === 401 || this.status === 403 || this.status === 410; }
}

/** Adds `token=` to a URL that does not carry one yet. */
export function withToken(url, token) {
  if (!token) return url;
  const u = new URL(url, globalThis.location?.href);
  if (!u.searchParams.has("token")) u.searchParams.set("token", token);
  return u.href;
}

/**
 * Several base URLs (origins or edges) serving the same channels: one is picked at random and
 * kept (in `sessionStorage`, so a reload keeps it too) so that viewers spread over them and do
 * not all move at once; on repeated errors the player moves to another one.
 */
export class Origins {
  constructor(bases, { storageKey = "antenne.origin", random = Math.random, storage } = {}) {
    const list = (bases && bases.length ? bases : [globalThis.location?.origin + "/"]).map((b) => new URL(b, globalThis.location?.href).href.replace(/\/?$/, "/"));
    this.bases = [...new Set(list)];
    this.storageKey = storageKey;
    this.storage = storage === undefined ? safeSessionStorage() : storage;
    this.random = random;
    const kept = this.storage?.getItem(storageKey);
    this.index = kept && this.bases.includes(kept) ? this.bases.indexOf(kept) : Math.floor(random() * this.bases.length);
    this.remember();
  }

  get current() { return this.bases[this.index]; }

  /** `path` (relative to the server root) on the current base. */
  url(path) { return new URL(path.replace(/^\//, ""), this.current).href; }

  /** `url` moved onto the current base if it is on one of the others. */
  rebase(url) {
    for (const base of this.bases) {
      if (url.startsWith(base)) return this.current + url.slice(base.length);
    }
    return url;
  }

  /** Moves to another base (at random among the others); false if there is no other. */
  failover() {
    if (this.bases.length < 2) return false;
    const others = this.bases.map((_, i) => i).filter((i) => i !== this.index);
    this.index = others[Math.floor(this.random() * others.length)];
    this.remember();
    return true;
  }

  remember() {
    try { this.storage?.setItem(this.storageKey, this.current); } catch { /* private mode: not kept */ }
  }
}

function safeSessionStorage() {
  try { return globalThis.sessionStorage; } catch { return undefined; }
}

/** Asks for `url`: resolves to the response (ok) and when its headers came, with `done()` to
 *  call once its body is read. Failures are `HttpError`s, an abort an `AbortError`. */
async function request(url, { signal, range, timeout }) {
  const headers = {};
  if (range) headers.Range = `bytes=${range.offset}-${range.offset + range.length - 1}`;
  let combined = signal;
  let done = () => {};
  if (timeout) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException("timed out", "TimeoutError")), timeout);
    const forward = () => controller.abort(signal.reason);
    signal?.addEventListener("abort", forward, { once: true });
    done = () => { clearTimeout(timer); signal?.removeEventListener("abort", forward); };
    combined = controller.signal;
  }
  try {
    let response;
    try {
      response = await fetch(url, { signal: combined, headers, cache: "no-store", credentials: "omit" });
    } catch (error) {
      if (error.name === "AbortError" && signal?.aborted) throw error;
      throw new HttpError(0, url, `network error for ${url}: ${error.message}`);
    }
    const headersAt = performance.now();
    if (!response.ok) {
      // Drain the small error body so the connection can be reused.
      response.body?.cancel().catch(() => {});
      throw new HttpError(response.status, url);
    }
    return { response, headersAt, done };
  } catch (error) {
    done();
    throw error;
  }
}

/**
 * GET `url`. Resolves to `{ bytes | text, status, headersAt, doneAt }` (times from
 * `performance.now()`, for the throughput estimate: from the first byte to the last). Rejects with
 * an `HttpError` for a failure status or a network error, with `AbortError` when aborted.
 */
export async function get(url, { signal, as = "bytes", range, timeout } = {}) {
  const { response, headersAt, done } = await request(url, { signal, range, timeout });
  try {
    const body = as === "text" ? await response.text() : new Uint8Array(await response.arrayBuffer());
    return { [as]: body, url: response.url, status: response.status, headersAt, doneAt: performance.now() };
  } finally {
    done();
  }
}

/**
 * GET `url`, its body read as it arrives (a response sent with chunked transfer while the server
 * writes it): yields the bytes of each read. Fails as `get` does; ends the request when the
 * caller stops reading.
 */
export async function* stream(url, { signal, timeout } = {}) {
  const { response, done } = await request(url, { signal, timeout });
  const reader = response.body.getReader();
  try {
    for (;;) {
      let read;
      try {
        read = await reader.read();
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw new HttpError(0, url, `network error while reading ${url}: ${error.message}`);
      }
      if (read.done) return;
      yield read.value;
    }
  } finally {
    reader.cancel().catch(() => {});
    done();
  }
}
