// The Antenne player: low-latency HLS and DASH from an Antenne server (or its edges) on Media
// Source Extensions, with the browser's own HLS where there is no MSE.
//
//   import { createPlayer } from "https://antenne.example/player/antenne.js";
//   const player = createPlayer(document.querySelector("#tv"), { targetLatency: 1 });
//   player.on("firstframe", ({ channel, elapsed }) => console.log(channel, elapsed));
//   await player.load("demo");
//
// Methods: load(channelOrURL, { token, dvr, start, end }), zap(channel), play(), pause(),
// seek(seconds), goLive(), setAudioTrack(index), prefetch([channels]), destroy(). Properties:
// latency, wallLatency, seekable, isLive, atLive, levels, level, audioTracks, audioTrack, channel,
// engine ("mse", "native" or "none"), video, captions (the CEA-608 captions in the video:
// `available`, and `showing` to set).
// Events (player.on(type, fn) or addEventListener, the detail is the listener's first argument):
// firstframe, levelswitch, audiotracks, audioswitch, latency, stall, status, error, muted. The
// README's "The web player" section documents each. Controls for a page: attachControls in controls.js.

import { DEFAULTS, Player, PRESETS } from "./player.js";

export { DEFAULTS, Player, PRESETS };

/**
 * A player on a `<video>` element, or on a new one inside `target` (any other element).
 *
 * @param {HTMLVideoElement|HTMLElement} target
 * @param {object} [options] see `DEFAULTS`: targetLatency, maxRate, minRate, startLevel, level,
 *   autoplay, audioLanguage, captions, captionChannel, engine, format ("hls" or "dash"), baseURLs, token, dvr, p2p, p2pUpload, p2pUploadRate,
 *   preset ("p2p"), debug
 */
export function createPlayer(target, options = {}) {
  let video = target;
  if (!(target instanceof HTMLVideoElement)) {
    video = document.createElement("video");
    video.playsInline = true;
    video.muted = true;
    video.controls = true;
    video.style.width = "100%";
    video.style.height = "100%";
    target.append(video);
  }
  return new Player(video, options);
}
