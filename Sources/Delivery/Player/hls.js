// The HLS side of a session (RFC 8216bis): the multivariant playlist's tracks, each rendition's
// media playlist (blocking reloads §6.2.5.2, delta updates §6.2.5.1), the wait for the next part
// at the live edge (preload hints §6.2.6), and where the live edge is.
//
// A session's source (this one, or DashSource in dash.js) answers what the session and its track
// loaders ask of a stream, whatever its manifest:
//   open(supported)                 the tracks: `{ levels, audioURI, audioMime }` (see tracksOf)
//   playlist(loader, block)         the window of the loader's rendition (`loader.url`), in the media
//                                   playlist model of m3u8.js (`parseMedia`)
//   waitForNext(loader)             at the live edge: until the item at the cursor may be there, and
//                                   the loader's playlist asked again
//   sinceLastStart(playlist, last, receivedAt)  seconds from the start of the newest listed
//                                   segment to the live edge
//   latency(playlist)               the distance the stream asks players to keep from the live
//                                   edge: `{ holdBack }` (at most the player's default) or `{ target }`
//   now()                           the server's clock, Unix ms
//   peers                           whether P2P may carry its segments

import { applyDelta, parseMedia, parseMultivariant, PlaylistError } from "./m3u8.js";
import { get, withToken } from "./net.js";

const VIDEO_CODECS = /^(avc[13]|hvc1|hev1|av01|vp0?9|dvh[1e])/;

export function isVideoCodec(codec) { return VIDEO_CODECS.test(codec); }

export function videoMime(variant) {
  const codec = variant.codecs.find(isVideoCodec);
  return codec ? `video/mp4; codecs="${codec}"` : "video/mp4";
}

/**
 * The video variants (levels) and the audio of a multivariant playlist: the default audio
 * rendition (`audioURI`), and every rendition of its group as `audioTracks`
 * (`{ index, uri, language, name, isDefault }`: the languages a viewer may choose from).
 */
export function tracksOf(master, supported = () => true) {
  const levels = master.variants.filter((v) => v.codecs.some(isVideoCodec) && supported(videoMime(v)));
  const group = (levels[0] || master.variants[0]).audio;
  const renditions = (group && master.audio[group]) || [];
  const audio = renditions.find((r) => r.isDefault) || renditions[0];
  const audioCodec = master.variants.flatMap((v) => v.codecs).find((c) => !isVideoCodec(c));
  // An audio-only stream: its variant is the audio playlist.
  const audioOnly = levels.length === 0 ? master.variants.find((v) => !v.codecs.some(isVideoCodec)) : undefined;
  return {
    levels,
    audioURI: audio?.uri ?? audioOnly?.uri,
    audioMime: audioCodec ? `audio/mp4; codecs="${audioCodec}"` : "audio/mp4",
    audioTracks: renditions.map((r, index) => ({ index, uri: r.uri, language: r.language, name: r.name, isDefault: r === audio })),
  };
}

export class HlsSource {
  constructor(session) {
    this.session = session;
  }

  get peers() { return true; }

  now() { return Date.now(); }

  async open(supported) {
    const s = this.session;
    const master = s.player.warmMaster(s.url) ?? await s.fetchManifest((text, url) => parseMultivariant(text, url));
    return tracksOf(master, supported);
  }

  /** The media playlist; with `block` (`{ msn, part }`) the server holds the request until that
   *  part exists (or a later one). */
  async playlist(loader, block, previous = loader.playlist) {
    const s = this.session;
    const control = previous?.serverControl || {};
    const url = new URL(withToken(s.rebase(loader.url), s.token));
    if (block && control.canBlockReload) {
      url.searchParams.set("_HLS_msn", String(block.msn));
      if (block.part >= 0) url.searchParams.set("_HLS_part", String(block.part));
    }
    const skip = previous && control.canSkipUntil > 0;
    if (skip) url.searchParams.set("_HLS_skip", "YES");
    const held = block && control.canBlockReload;
    // A held request lasts at most three target durations on the server (§6.2.5.2).
    const timeout = ((held ? 3 * (previous.targetDuration || 2) : 0) + 5) * 1000;
    const response = await get(url.href, { as: "text", signal: loader.signal, timeout });
    const playlist = parseMedia(response.text, response.url || url.href);
    if (!playlist.skipped) return playlist;
    try {
      return applyDelta(previous, playlist);
    } catch (error) {
      if (!(error instanceof PlaylistError)) throw error;
      return this.playlist(loader, undefined, undefined);
    }
  }

  /** Waits for the part at the cursor: fetches the preload-hinted part and, in parallel, blocks
   *  on the playlist update that lists it. */
  async waitForNext(loader) {
    const s = this.session;
    const pl = loader.playlist;
    const hint = s.segmentsOnly ? undefined : pl.preloadHint;
    if (hint && hint.type === "PART" && hint.byteRangeStart === undefined && !loader.hints.has(hint.uri)) {
      for (const uri of loader.hints.keys()) if (uri !== hint.uri) loader.hints.delete(uri);
      const pending = s.fetchMedia(hint.uri, undefined, loader.kind);
      pending.catch(() => {});
      loader.hints.set(hint.uri, pending);
    }
    if (pl.serverControl.canBlockReload) {
      // Whole segments: held until the segment at the cursor is complete (the next one starts).
      await loader.reload(s.segmentsOnly ? { msn: loader.cursor.msn + 1, part: 0 } : loader.cursor);
    } else {
      await loader.pause(pl.partTarget || pl.targetDuration / 2 || 1);
      await loader.reload();
    }
  }

  /** The newest listed part's end, moving on with the clock while the next part is being made. */
  sinceLastStart(playlist, last, receivedAt) {
    return last.duration + Math.min((performance.now() - receivedAt) / 1000, playlist.partTarget || playlist.targetDuration);
  }

  /** PART-HOLD-BACK (§4.4.3.8): how close a player may safely stay. */
  latency(playlist) {
    return { holdBack: playlist.serverControl?.partHoldBack };
  }
}
