// Media Source Extensions: which MediaSource the browser has, and a SourceBuffer whose operations
// (append, remove, timestamp offset, codec change) run one after another as promises.

/** `ManagedMediaSource` (Safari 17.1+ on iOS, where it is the only one), else `MediaSource`. */
export function mediaSourceClass() {
  return globalThis.ManagedMediaSource || globalThis.MediaSource || undefined;
}

/** Opens a MediaSource on `video`: resolves once it is open (`sourceopen`). */
export function openMediaSource(video, signal) {
  const Source = mediaSourceClass();
  const source = new Source();
  // A ManagedMediaSource only plays with AirPlay off (or an alternative source given).
  if (globalThis.ManagedMediaSource && source instanceof globalThis.ManagedMediaSource) video.disableRemotePlayback = true;
  const url = URL.createObjectURL(source);
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason || new DOMException("aborted", "AbortError"));
    if (signal?.aborted) { abort(); return; }
    signal?.addEventListener("abort", abort, { once: true });
    source.addEventListener("sourceopen", () => {
      signal?.removeEventListener("abort", abort);
      URL.revokeObjectURL(url);
      resolve(source);
    }, { once: true });
    video.src = url;
  });
}

/** Back buffer kept behind the playhead, in seconds: enough to seek back a little. */
export const BACK_BUFFER = 30;

export class BufferQueue {
  constructor(sourceBuffer, mime) {
    this.sb = sourceBuffer;
    this.mime = mime;
    this.tail = Promise.resolve();
    this.failed = undefined;
  }

  /** Runs `op` once every earlier operation is done and the buffer is not updating. */
  enqueue(op) {
    const run = this.tail.then(() => {
      if (this.failed) throw this.failed;
      return new Promise((resolve, reject) => {
        const done = () => { cleanup(); resolve(); };
        const fail = () => { cleanup(); reject(new Error("SourceBuffer error")); };
        const cleanup = () => {
          this.sb.removeEventListener("updateend", done);
          this.sb.removeEventListener("error", fail);
        };
        this.sb.addEventListener("updateend", done);
        this.sb.addEventListener("error", fail);
        try {
          if (!op()) { cleanup(); resolve(); }
        } catch (error) {
          cleanup();
          reject(error);
        }
      });
    });
    this.tail = run.catch(() => {});
    return run;
  }

  /** Appends, making room behind the playhead once if the browser's quota is reached. */
  async append(bytes, playhead = 0) {
    try {
      await this.enqueue(() => { this.sb.appendBuffer(bytes); return true; });
    } catch (error) {
      if (error.name !== "QuotaExceededError") throw error;
      await this.remove(0, Math.max(0, playhead - 2));
      await this.enqueue(() => { this.sb.appendBuffer(bytes); return true; });
    }
  }

  remove(start, end) {
    return this.enqueue(() => {
      if (end <= start) return false;
      this.sb.remove(start, end);
      return true;
    });
  }

  /** Sets `timestampOffset` (a segment of another timeline after a discontinuity). */
  setOffset(offset) {
    return this.enqueue(() => {
      if (this.sb.timestampOffset !== offset) this.sb.timestampOffset = offset;
      return false;
    });
  }

  /** Switches codecs (another rendition) where the browser can; otherwise appends carry on. */
  changeType(mime) {
    return this.enqueue(() => {
      if (mime !== this.mime && typeof this.sb.changeType === "function") this.sb.changeType(mime);
      this.mime = mime;
      return false;
    });
  }

  /** Drops what is more than `BACK_BUFFER` seconds behind the playhead. */
  trim(playhead) {
    const ranges = this.sb.buffered;
    if (ranges.length === 0 || ranges.start(0) >= playhead - BACK_BUFFER) return Promise.resolve();
    return this.remove(0, playhead - BACK_BUFFER);
  }

  /** The end of the range holding `time` (or the last range's end when `time` is not given). */
  bufferedEnd(time) {
    const ranges = this.sb.buffered;
    if (ranges.length === 0) return undefined;
    if (time === undefined) return ranges.end(ranges.length - 1);
    for (let i = 0; i < ranges.length; i += 1) {
      if (time >= ranges.start(i) - 0.1 && time <= ranges.end(i)) return ranges.end(i);
    }
    return undefined;
  }
}
