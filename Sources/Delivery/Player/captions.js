// Closed captions carried in the video: CEA-608 byte pairs of CC1 in the SEI of each sample
// (ITU-T H.264 §D.1.6 user_data_registered_itu_t_t35 with ATSC A/53 Part 4 §6.2.3 cc_data;
// HEVC carries the same in its prefix SEI), read from the fragments the player appends, decoded
// (cea608.js) into VTTCues on a TextTrack of kind "captions", which the page shows or hides.

import { Cea608Decoder } from "./cea608.js";
import * as mp4 from "./mp4.js";

/** Longest a caption stays up without a change (CTA-608-E §D.11 lets a decoder erase captions
 *  after 16 s without data). */
const HOLD = 16;
/** Cues kept behind the playhead, in seconds: as much as the media buffer's back buffer. */
const KEEP_BEHIND = 60;
/** A caption earlier than the last by more than this is a new timeline (a seek, a reconnect):
 *  the decoder starts over. */
const REWIND = 1;
/** SEI messages read in one NAL unit at most; encoders write a handful. */
const MAX_SEI_MESSAGES = 64;
/** The T.35 header of ATSC caption data: country 0xB5, provider 0x0031, "GA94", type 3. */
const GA94 = [0xB5, 0x00, 0x31, 0x47, 0x41, 0x39, 0x34, 0x03];

/** The RBSP of a NAL unit: emulation prevention bytes (00 00 03) removed (H.264 §7.4.1). */
function unescape(bytes) {
  const out = new Uint8Array(bytes.length);
  let n = 0;
  let zeros = 0;
  for (const b of bytes) {
    if (zeros >= 2 && b === 3) { zeros = 0; continue; }
    out[n++] = b;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, n);
}

/** The byte pairs of `field` (1 or 2) in the cc_data of an SEI RBSP (after its NAL header), in
 *  order. */
export function ccPairsOfSEI(rbsp, field = 1) {
  const ccType = field === 2 ? 1 : 0;
  const pairs = [];
  let i = 0;
  for (let m = 0; m < MAX_SEI_MESSAGES && i < rbsp.length && !(rbsp[i] === 0x80 && i === rbsp.length - 1); m++) {
    let type = 0;
    while (rbsp[i] === 0xFF) { type += 255; i++; }
    type += rbsp[i++] ?? 0;
    let size = 0;
    while (rbsp[i] === 0xFF) { size += 255; i++; }
    size += rbsp[i++] ?? 0;
    if (i + size > rbsp.length) break;
    if (type === 4 && size >= GA94.length + 2 && GA94.every((b, k) => rbsp[i + k] === b)) {
      const flags = rbsp[i + GA94.length];
      const count = flags & 0x1F;
      let at = i + GA94.length + 2;
      for (let k = 0; k < count && at + 3 <= i + size; k++, at += 3) {
        // cc_valid, and cc_type 0 (CEA-608 field 1) or 1 (field 2).
        if (flags & 0x40 && (rbsp[at] & 0x07) === (0x04 | ccType)) pairs.push([rbsp[at + 1], rbsp[at + 2]]);
      }
    }
    i += size;
  }
  return pairs;
}

/** The caption pairs of `field` (1 or 2) in a fragment's samples, each with its presentation
 *  time (in the track's timescale), in presentation order. `lengthSize` is the NAL length size;
 *  `hevc` says which NAL header to read. */
export function ccPairs(fragment, lengthSize = 4, hevc = false, field = 1) {
  const bytes = fragment instanceof Uint8Array ? fragment : new Uint8Array(fragment);
  const out = [];
  for (const sample of mp4.samples(bytes)) {
    let at = sample.start;
    while (at + lengthSize <= sample.end) {
      let length = 0;
      for (let k = 0; k < lengthSize; k++) length = length * 256 + bytes[at + k];
      at += lengthSize;
      if (at + length > sample.end || length < 2) break;
      const header = bytes[at];
      // HEVC's prefix (39) or suffix (40) SEI; H.264's SEI (6).
      const sei = hevc ? [39, 40].includes(header >> 1 & 0x3F) : (header & 0x1F) === 6;
      if (sei) {
        const rbsp = unescape(bytes.subarray(at + (hevc ? 2 : 1), at + length));
        for (const [b1, b2] of ccPairsOfSEI(rbsp, field)) out.push({ time: sample.dts + sample.cto, b1, b2 });
      }
      at += length;
    }
  }
  // Samples are in decode order; captions follow the pictures' presentation (stable sort).
  return out.sort((a, b) => a.time - b.time);
}

/** The CEA-608 channels a player can show. */
export const CHANNELS = ["CC1", "CC2", "CC3", "CC4"];

/** Captions of one <video>: cues on a "captions" TextTrack made when the first caption comes, from
 *  one CEA-608 channel (`channel`, CC1 unless chosen). */
export class Captions extends EventTarget {
  constructor(video, channel = "CC1") {
    super();
    this.video = video;
    this.track = undefined;
    /** The stream playing has carried captions. */
    this.seen = false;
    this.wanted = false;
    this.open = undefined;
    this.lastTime = undefined;
    this.channel = channel;
  }

  /** The CEA-608 channel shown ("CC1" to "CC4"; anything else reads CC1). Choosing another one
   *  starts its decoder over and drops the cues of the one before. */
  get channel() { return CHANNELS[this.field * 2 + this.dataChannel - 3]; }
  set channel(name) {
    const n = Math.max(1, CHANNELS.indexOf(name) + 1);
    const [field, dataChannel] = [n <= 2 ? 1 : 2, n % 2 === 1 ? 1 : 2];
    if (this.decoder && field === this.field && dataChannel === this.dataChannel) return;
    [this.field, this.dataChannel] = [field, dataChannel];
    this.decoder = new Cea608Decoder((time, text) => this.display(time, text), dataChannel);
    if (this.track) this.clear();
  }

  /** Whether the stream playing has carried captions. */
  get available() { return this.seen; }

  /** Whether captions are shown. */
  get showing() { return this.wanted; }
  set showing(on) {
    this.wanted = Boolean(on);
    if (this.track) this.track.mode = this.wanted ? "showing" : "hidden";
  }

  /** Reads the captions of a video fragment just appended: `timescale` of its track,
   *  `offset` the SourceBuffer's timestamp offset (seconds). */
  append(fragment, { timescale, offset = 0, lengthSize = 4, hevc = false }) {
    if (!timescale) return;
    const pairs = ccPairs(fragment, lengthSize, hevc, this.field);
    if (!pairs.length) return;
    let time;
    for (const { time: ticks, b1, b2 } of pairs) {
      time = ticks / timescale + offset;
      if (this.lastTime !== undefined && time < this.lastTime - REWIND) this.restart();
      this.lastTime = time;
      this.decoder.push(time, b1, b2);
    }
    this.decoder.flush(time);
  }

  /** A new timeline: the decoder starts over; cues already made stay. */
  restart() {
    this.decoder.reset();
    this.open = undefined;
  }

  /** Another stream: its cues go too. */
  clear() {
    this.restart();
    this.lastTime = undefined;
    this.seen = false;
    for (const cue of Array.from(this.track?.cues ?? [])) this.track.removeCue(cue);
  }

  display(time, text) {
    if (this.open && time > this.open.startTime) this.open.endTime = Math.min(this.open.endTime, time);
    this.open = undefined;
    if (!text) return;
    if (!this.track) {
      // CC1 is English as the encoders in use carry it; another channel states no language.
      const english = this.channel === "CC1";
      this.track = this.video.addTextTrack("captions", english ? "English" : this.channel, english ? "en" : "");
      this.track.mode = this.wanted ? "showing" : "hidden";
    }
    if (!this.seen) {
      this.seen = true;
      this.dispatchEvent(new Event("available"));
    }
    // The same caption again (a fragment appended twice, a rendition switch): the cue there is kept.
    const cues = Array.from(this.track.cues ?? []);
    if (cues.some((c) => Math.abs(c.startTime - time) < 0.05 && c.text === text)) return;
    for (const cue of cues) {
      if (cue.endTime < this.video.currentTime - KEEP_BEHIND) this.track.removeCue(cue);
    }
    const cue = new VTTCue(time, time + HOLD, text);
    // One line up from the bottom: clear of the controls bar over the picture.
    cue.line = -2;
    this.track.addCue(cue);
    this.open = cue;
  }
}
