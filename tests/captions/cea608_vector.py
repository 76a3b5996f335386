"""A test vector for closed captions: an H.264 stream carrying CEA-608 captions in SEI, muxed to FLV
for RTMP publishing.

FFmpeg has no CEA-608 encoder, so the captions are written here. ffmpeg/libx264 encode a test
pattern as an Annex B byte stream (no B-frames: decode order is display order, so each frame's
caption bytes are in presentation order); this module inserts before the first VCL NAL unit of
each access unit an SEI NAL unit (ITU-T H.264 §7.3.2.3, nal_unit_type 6) with one
`user_data_registered_itu_t_t35` message (payload type 4, §D.1.6) holding ATSC A/53 Part 4
`cc_data` (§6.2.3: country 0xB5, provider 0x0031, user identifier "GA94", user_data_type_code
3), then ffmpeg muxes it with a sine tone to FLV with `-c copy`.

The captions are CEA-608 (CTA-608-E) pop-on captions on CC1 (field 1, data channel 1, cc_type 0):
caption k is two rows, "HELLO ANTENNE" on row 14 and "CUE {k:04d}" on row 15, loaded into
non-displayed memory (RCL, ENM, PAC, text) and shown by EOC at second `CAPTION_PERIOD * k`. Every
byte has odd parity (CTA-608-E §3, bit 7), and every control code is sent twice in a row, as
§D.1 asks (a decoder acts on the first and ignores the repeat). The same captions, with
"BONJOUR ANTENNE" for "HELLO ANTENNE", go on CC3 (field 2, data channel 1: the miscellaneous
control codes take 0x15 for 0x14, §D.6), and each
frame also carries a CEA-708 DTVCC packet of service 1 (CTA-708-E §5, §6.2: a four-byte packet,
its service block holding "HI"). Four cc_data triples per frame: field 1 and field 2, each with
the caption bytes or null padding (0x80 0x80), then the DTVCC packet's start and its data.

With `codec="hevc"` the picture is libx265's (HEVC, H.265 §D.2.6: the same message in a prefix
SEI NAL unit, nal_unit_type 39) and the vector is MPEG-TS, for SRT: Debian 12's ffmpeg 5.1 does not
write HEVC in FLV, and has no encoder option that keeps A/53 captions in HEVC.

Usage: python3 cea608_vector.py OUT.flv [--seconds 60] [--codec hevc]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

FRAME_RATE = 30
# Seconds between captions: each one stays up until the next one's EOC replaces it.
CAPTION_PERIOD = 2
# Frames per key frame: one segment target (2 s) at 30 fps.
GOP = 60
TEXT = "HELLO ANTENNE"
# The first row of CC3's captions, which are otherwise CC1's.
TEXT_CC3 = "BONJOUR ANTENNE"


def parity(byte: int) -> int:
    """`byte` (7 bits) with bit 7 set so that the byte has an odd number of ones (CTA-608-E §3)."""
    byte &= 0x7F
    return byte | (0x80 if bin(byte).count("1") % 2 == 0 else 0)


# Miscellaneous control codes of data channel 1 (CTA-608-E Table 51), first byte 0x14 on field 1.
RCL = (0x14, 0x20)  # Resume Caption Loading: pop-on mode.
ENM = (0x14, 0x2E)  # Erase Non-displayed Memory.
EOC = (0x14, 0x2F)  # End Of Caption: swap memories, the loaded caption shows.


def pac(row: int) -> tuple[int, int]:
    """Preamble Address Code (CTA-608-E Table 53) of data channel 1: white text at column 0 of `row`
    (1...15)."""
    first = {1: 0x11, 2: 0x11, 3: 0x12, 4: 0x12, 5: 0x15, 6: 0x15, 7: 0x16, 8: 0x16, 9: 0x17, 10: 0x17,
             11: 0x10, 12: 0x13, 13: 0x13, 14: 0x14, 15: 0x14}[row]
    second = 0x40 if row in (1, 3, 5, 7, 9, 11, 12, 14) else 0x60
    return first, second


def text_pairs(text: str) -> list[tuple[int, int]]:
    """Basic North American characters (CTA-608-E Table 50; A-Z, digits and space are ASCII), two
    per pair, the last padded with a null."""
    codes = [ord(c) for c in text]
    assert all(0x20 <= c < 0x7F and chr(c) not in "*\\^_`{|}~" for c in codes), text
    if len(codes) % 2:
        codes.append(0)
    return [(codes[i], codes[i + 1]) for i in range(0, len(codes), 2)]


def caption_pairs(k: int, text: str = TEXT) -> list[tuple[int, int]]:
    """Byte pairs of pop-on caption `k`, control codes doubled; EOC (shown) is the last pair."""
    pairs: list[tuple[int, int]] = []
    for control in (RCL, ENM, pac(14)):
        pairs += [control, control]
    pairs += text_pairs(text)
    pairs += [pac(15), pac(15)]
    pairs += text_pairs(f"CUE {k:04d}")
    pairs += [EOC, EOC]
    return pairs


def frame_pairs(frames: int, text: str = TEXT) -> list[tuple[int, int] | None]:
    """The field-1 pair of every frame, or None for padding: caption k's EOC (its second copy) lands
    on frame `CAPTION_PERIOD * FRAME_RATE * k`."""
    out: list[tuple[int, int] | None] = [None] * frames
    period = CAPTION_PERIOD * FRAME_RATE
    for k in range(frames // period + 1):
        pairs = caption_pairs(k, text)
        first = period * k - len(pairs) + 1
        if first < 0 or first + len(pairs) > frames:
            continue
        for i, pair in enumerate(pairs):
            out[first + i] = pair
    return out


def escape(rbsp: bytes) -> bytes:
    """Emulation prevention (H.264 §7.4.1): 0x03 after two zero bytes before any byte <= 3."""
    out = bytearray()
    zeros = 0
    for b in rbsp:
        if zeros >= 2 and b <= 3:
            out.append(3)
            zeros = 0
        out.append(b)
        zeros = zeros + 1 if b == 0 else 0
    return bytes(out)


def field2(pair: tuple[int, int] | None) -> tuple[int, int] | None:
    """The same pair on CC3: data channel 1 of field 2 sends its miscellaneous control codes with
    0x15 where field 1 has 0x14 (CTA-608-E §D.6); preamble address codes and text are alike."""
    return (0x15, pair[1]) if pair and pair[0] == 0x14 and 0x20 <= pair[1] <= 0x2F else pair


def dtvcc_packet(frame: int) -> list[tuple[int, int, int]]:
    """The frame's CEA-708 DTVCC packet as (cc_type, byte, byte) triples: packet header
    (sequence_number, packet_size_code 2: four bytes), a service block header (service 1, two
    bytes), "HI" (G0 characters, CTA-708-E §7.1.4)."""
    return [(3, (frame % 4) << 6 | 2, 1 << 5 | 2), (2, ord("H"), ord("I"))]


def cc_data(pair: tuple[int, int] | None, pair3: tuple[int, int] | None, frame: int) -> bytes:
    """ATSC A/53 Part 4 §6.2.3 `cc_data()`: field 1 (cc_type 0) with `pair` and field 2 (cc_type
    1) with `pair3` on CC3, or padding, then the frame's DTVCC packet; every construct has
    cc_valid 1."""
    def byte_pair(p: tuple[int, int] | None) -> tuple[int, int]:
        return (parity(p[0]), parity(p[1])) if p else (0x80, 0x80)
    triples = [(0, *byte_pair(pair)), (1, *byte_pair(field2(pair3))), *dtvcc_packet(frame)]
    # process_em_data_flag 1, process_cc_data_flag 1, additional_data_flag 0, cc_count; em_data.
    out = bytearray([0xC0 | len(triples), 0xFF])
    for cc_type, b1, b2 in triples:
        out += bytes([0xF8 | 0x04 | cc_type, b1, b2])
    return bytes(out + b"\xff")


# The NAL unit header of an SEI: H.264's (nal_unit_type 6), HEVC's prefix SEI (type 39, layer 0,
# temporal id plus one 1).
SEI_HEADER = {"h264": bytes([0x06]), "hevc": bytes([0x4E, 0x01])}


def sei_nal(pair: tuple[int, int] | None, pair3: tuple[int, int] | None, frame: int, codec: str = "h264") -> bytes:
    """An SEI NAL unit with one user_data_registered_itu_t_t35 message."""
    payload = bytes([0xB5, 0x00, 0x31]) + b"GA94" + bytes([0x03]) + cc_data(pair, pair3, frame)
    assert len(payload) < 255
    rbsp = bytes([4, len(payload)]) + payload + bytes([0x80])  # rbsp_trailing_bits
    return SEI_HEADER[codec] + escape(rbsp)


def starts_picture(unit: bytes, codec: str) -> bool:
    """Whether a NAL unit is the first slice of a picture: H.264 slices (types 1-5) with
    first_mb_in_slice 0 (the ue(v) single bit 1); HEVC VCL units (types 0-31) with
    first_slice_segment_in_pic_flag 1, the first bit after the two-byte header."""
    if codec == "hevc":
        return len(unit) > 2 and (unit[0] >> 1 & 0x3F) < 32 and bool(unit[2] & 0x80)
    return 1 <= (unit[0] & 0x1F) <= 5 and bool(unit[1] & 0x80)


def split_annexb(stream: bytes) -> list[bytes]:
    """NAL units of an Annex B stream (start codes removed, trailing zeros dropped)."""
    units = []
    i = stream.find(b"\x00\x00\x01")
    while i >= 0:
        start = i + 3
        nxt = stream.find(b"\x00\x00\x01", start)
        end = len(stream) if nxt < 0 else nxt
        unit = stream[start:end].rstrip(b"\x00")
        if unit:
            units.append(unit)
        i = nxt
    return units


def insert_captions(stream: bytes, codec: str = "h264") -> tuple[bytes, int]:
    """`stream` with a caption SEI before each access unit's first VCL NAL unit; returns it and
    the frame count."""
    units = split_annexb(stream)
    frames = sum(1 for u in units if starts_picture(u, codec))
    pairs, pairs3 = frame_pairs(frames), frame_pairs(frames, TEXT_CC3)
    out = bytearray()
    frame = 0
    for unit in units:
        if starts_picture(unit, codec):
            out += b"\x00\x00\x00\x01" + sei_nal(pairs[frame], pairs3[frame], frame, codec)
            frame += 1
        out += b"\x00\x00\x00\x01" + unit
    return bytes(out), frames


def make_vector(out: Path, seconds: int = 60, size: str = "640x360", codec: str = "h264") -> Path:
    """Writes the captioned vector (`size` p30, key frame every 2 s, with AAC) to `out`: H.264 in
    FLV, or HEVC in MPEG-TS."""
    with tempfile.TemporaryDirectory() as tmp:
        raw, captioned, audio = Path(tmp) / "raw.bin", Path(tmp) / "cc.bin", Path(tmp) / "audio.m4a"
        quiet = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"]
        if codec == "hevc":
            # No B-frames, a closed GOP of 60, parameter sets before every key frame.
            video = ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params",
                     f"bframes=0:keyint={GOP}:min-keyint={GOP}:scenecut=0:repeat-headers=1:log-level=error"]
        else:
            video = ["-c:v", "libx264", "-preset", "veryfast", "-bf", "0", "-g", str(GOP), "-keyint_min", str(GOP), "-sc_threshold", "0"]
        subprocess.run(
            [*quiet, "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={FRAME_RATE}", "-t", str(seconds),
             *video, "-pix_fmt", "yuv420p", "-b:v", "800k", "-f", codec, str(raw)], check=True)
        subprocess.run(
            [*quiet, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", str(seconds),
             "-c:a", "aac", "-b:a", "96k", str(audio)], check=True)
        data, _ = insert_captions(raw.read_bytes(), codec)
        captioned.write_bytes(data)
        subprocess.run(
            [*quiet, "-fflags", "+genpts", "-r", str(FRAME_RATE), "-f", codec, "-i", str(captioned),
             "-i", str(audio), "-map", "0:v", "-map", "1:a", "-c", "copy", "-f", "mpegts" if codec == "hevc" else "flv", str(out)],
            check=True)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--codec", choices=sorted(SEI_HEADER), default="h264")
    args = parser.parse_args()
    make_vector(args.out, args.seconds, args.size, args.codec)
