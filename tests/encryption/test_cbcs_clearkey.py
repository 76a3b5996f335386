"""Common encryption `cbcs` with Clear Key, end to end: a real `antenne serve` with a `cbcs` token
channel (a new key every two segments) fed by ffmpeg. Its init segments carry protected sample
entries, its segments encrypted samples that this test decrypts with the served keys (the
`cryptography` package's AES, not the server's) into fragments ffmpeg decodes; the key URL
refuses a missing or tampered token; and the Antenne player plays the channel with EME Clear Key
in headless Chromium, over HLS (`METHOD=SAMPLE-AES`) and over DASH (`ContentProtection`), and in
headless Firefox ESR (which takes each sample's key from the init segment: the player appends one
per key period). One server and one publisher for the module."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "support"))
sys.path.insert(0, str(HERE.parent / "browser"))
sys.path.insert(0, str(HERE))

from encrypted_channel import (  # noqa: E402
    QUERY, attributes, check_key_url_refuses_bad_tokens, chromium, encrypted_channel, fetch, key_lines, media_playlist)
from player import browser_console, probe_playback  # noqa: E402
from procutil import log_tail  # noqa: E402

ROTATION = 2
WATCH_SECONDS = float(os.environ.get("WATCH_SECONDS", "6"))
# A picture's grey levels spread at least this much (standard deviation, 0-255): the test pattern
# spreads over 50; a black or one-colour frame is under 2 (as tests/browser/test_dash_player.py).
NOT_BLANK = 10


@pytest.fixture(scope="module")
def stream(tmp_path_factory):
    """The server and its publisher, yielded once the channel's playlist lists two key periods."""
    with encrypted_channel(tmp_path_factory.mktemp("cbcs"), f"{ROTATION}:cbcs") as server:
        yield server


def renditions(server) -> list[str]:
    status, _, body = fetch(server.url("/hls/demo/master.m3u8" + QUERY))
    assert status == 200, body
    return sorted({m.group(1) for m in re.finditer(r"([A-Za-z0-9_-]+)/index\.m3u8", body.decode())})


# --- reading and decrypting fMP4 `cbcs` (ISO/IEC 23001-7 §10.4), independently of the server ---

def boxes(data: bytes, start: int = 0, end: int | None = None):
    """(type, start, body start, end) of each box in data[start:end]."""
    end = len(data) if end is None else end
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start:start + 8])
        assert size >= 8 and start + size <= end, f"bad box {kind!r} at {start}"
        yield kind, start, start + 8, start + size
        start += size


def child(data: bytes, parent: tuple, kind: bytes) -> tuple:
    return next(b for b in boxes(data, parent[2], parent[3]) if b[0] == kind)


def decrypt_range(out: bytearray, start: int, length: int, key: bytes, iv: bytes, crypt: int, skip: int) -> None:
    """The protected range decrypted in place: the chain runs through its encrypted blocks only."""
    if (crypt, skip) == (0, 0):
        crypt, skip = 1, 0
    blocks = [start + 16 * i for i in range(length // 16) if i % (crypt + skip) < crypt]
    if not blocks:
        return
    sealed = b"".join(bytes(out[b:b + 16]) for b in blocks)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    clear = decryptor.update(sealed) + decryptor.finalize()
    for n, b in enumerate(blocks):
        out[b:b + 16] = clear[16 * n:16 * n + 16]


def decrypt_segment(data: bytes, key_for) -> tuple[bytes, list[bytes], int]:
    """The segment with every sample decrypted (its boxes as they are), the key IDs its fragments
    name, and how many subsamples it had."""
    out = bytearray(data)
    kids, subsample_count = [], 0
    for kind, start, body, end in boxes(data):
        if kind != b"moof":
            continue
        traf = child(data, (kind, start, body, end), b"traf")
        trun = child(data, traf, b"trun")
        flags = int.from_bytes(data[trun[2] + 1:trun[2] + 4], "big")
        count, offset = struct.unpack(">Ii", data[trun[2] + 4:trun[2] + 12])
        assert flags & 0x200, "sample sizes in trun"
        fields = [f for f in (0x100, 0x200, 0x400, 0x800) if flags & f]
        at = trun[2] + 12 + (4 if flags & 0x4 else 0)
        sizes = []
        for _ in range(count):
            row = struct.unpack(">" + "I" * len(fields), data[at:at + 4 * len(fields)])
            sizes.append(row[fields.index(0x200)])
            at += 4 * len(fields)
        sgpd = child(data, traf, b"sgpd")
        assert data[sgpd[2] + 4:sgpd[2] + 8] == b"seig"
        entry = sgpd[2] + 16
        pattern, protected, iv_size = data[entry + 1], data[entry + 2], data[entry + 3]
        assert protected == 1 and iv_size == 0
        kid = data[entry + 4:entry + 20]
        iv = data[entry + 21:entry + 21 + data[entry + 20]]
        kids.append(kid)
        key = key_for(kid)
        # Whole-sample encryption under a constant IV (audio) has no auxiliary information.
        senc = next((b for b in boxes(data, traf[2], traf[3]) if b[0] == b"senc"), None)
        senc_flags = int.from_bytes(data[senc[2] + 1:senc[2] + 4], "big") if senc else 0
        assert senc is None or struct.unpack(">I", data[senc[2] + 4:senc[2] + 8])[0] == count
        at = senc[2] + 8 if senc else 0
        sample = start + offset
        for size in sizes:
            if senc_flags & 2:
                (n,) = struct.unpack(">H", data[at:at + 2])
                at += 2
                position = sample
                for _ in range(n):
                    clear, protected_bytes = struct.unpack(">HI", data[at:at + 6])
                    at += 6
                    position += clear
                    decrypt_range(out, position, protected_bytes, key, iv, pattern >> 4, pattern & 15)
                    position += protected_bytes
                    subsample_count += 1
                assert position == sample + size, "subsamples cover the sample exactly"
            else:
                decrypt_range(out, sample, size, key, iv, pattern >> 4, pattern & 15)
            sample += size
    return bytes(out), kids, subsample_count


def clear_init(protected: bytes) -> bytes:
    """The protected init segment as a clear one: the sample entry's original type back (from
    `frma`), the `sinf` renamed `free` (same size)."""
    out = bytearray(protected)
    frma = protected.index(b"frma")
    original = protected[frma + 4:frma + 8]
    for kind in (b"encv", b"enca"):
        at = protected.find(kind)
        if at >= 0:
            out[at:at + 4] = original
    sinf = protected.index(b"sinf")
    out[sinf:sinf + 4] = b"free"
    return bytes(out)


def key_of(server, kid: bytes) -> bytes:
    period = int.from_bytes(kid[8:], "big")
    status, _, key = fetch(server.url(f"/hls/demo/keys/{period}" + QUERY))
    assert status == 200 and len(key) == 16, (status, key)
    return key


def test_playlists_say_sample_aes_with_the_token(stream):
    for rendition in renditions(stream):
        keys = [attributes(line) for line in key_lines(media_playlist(stream, rendition))]
        assert keys, rendition
        for key in keys:
            assert key["METHOD"] == "SAMPLE-AES" and key["KEYFORMAT"] == "identity", key
            assert key["URI"].startswith("../keys/") and key["URI"].endswith(QUERY), key


def test_segments_decrypt_with_the_served_keys_and_play(stream, tmp_path):
    for rendition in renditions(stream):
        text = media_playlist(stream, rendition)
        init_uri = re.search(r'#EXT-X-MAP:URI="([^"?]+)', text).group(1)
        segment_uri = [line for line in text.splitlines() if line and not line.startswith("#")][-2]
        status, _, init = fetch(stream.url(f"/hls/demo/{rendition}/{init_uri}" + QUERY))
        assert status == 200
        assert (b"encv" in init or b"enca" in init) and b"schm\x00\x00\x00\x00cbcs" in init and b"tenc" in init
        status, _, sealed = fetch(stream.url(f"/hls/demo/{rendition}/{segment_uri}"))
        assert status == 200
        is_video = b"encv" in init
        for box in (b"senc", b"saiz", b"saio", b"sbgp", b"sgpd") if is_video else (b"sbgp", b"sgpd"):
            assert box in sealed, f"{rendition}: no {box!r}"
        clear, kids, subsamples = decrypt_segment(sealed, lambda kid: key_of(stream, kid))
        assert clear != sealed
        assert len({bytes(k[:8]) for k in kids}) == 1, "one channel, one key ID prefix"
        assert (subsamples > 0) == is_video, (rendition, subsamples)
        # Identical requests give identical bytes (one encrypted copy serves everyone).
        assert fetch(stream.url(f"/hls/demo/{rendition}/{segment_uri}"))[2] == sealed
        # The decrypted samples, behind the init made clear again, decode without an error.
        path = tmp_path / f"{rendition}.mp4"
        path.write_bytes(clear_init(init) + clear)
        result = subprocess.run(
            [shutil.which("ffmpeg") or "ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-xerror", "-i", str(path),
             "-f", "framecrc", "-"], capture_output=True, text=True, timeout=60)
        frames = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
        assert result.returncode == 0 and not result.stderr.strip(), f"{rendition}: {result.stderr[-2000:]}"
        assert len(frames) >= (30 if is_video else 40), f"{rendition}: {len(frames)} frames"


def test_the_key_url_refuses_a_missing_or_tampered_token(stream):
    check_key_url_refuses_bad_tokens(stream, next(attributes(line)["URI"] for line in key_lines(media_playlist(stream, "source"))))


def test_the_mpd_answers_with_content_protection(stream):
    status, _, body = fetch(stream.url("/dash/demo/manifest.mpd" + QUERY))
    assert status == 200, body
    text = body.decode()
    assert 'schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="cbcs"' in text, text
    assert "urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e" in text
    assert re.search(r'cenc:default_KID="[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"', text), text
    assert f"<dashif:Laurl>../../hls/demo/keys/{QUERY}</dashif:Laurl>" in text, text


def spread(png: bytes) -> float:
    """The standard deviation of a picture's grey levels (ffmpeg decodes the PNG, scaled down)."""
    out = subprocess.run([shutil.which("ffmpeg") or "ffmpeg", "-hide_banner", "-loglevel", "error", "-i", "pipe:0",
                          "-vf", "scale=64:36", "-pix_fmt", "gray", "-f", "rawvideo", "pipe:1"],
                         input=png, capture_output=True, timeout=30, check=True).stdout
    return statistics.pstdev(out)


@pytest.mark.parametrize("format", ["hls", "dash"])
def test_the_antenne_player_plays_it_with_clear_key_in_chromium(stream, tmp_path, format):
    from selenium.webdriver.common.by import By

    with chromium(tmp_path / "chromedriver.log") as driver:
        url = stream.url("/watch/demo" + QUERY + ("&format=dash" if format == "dash" else ""))
        report = probe_playback(driver, url, watch_seconds=WATCH_SECONDS)
        details = f"{report.describe()}\n--- browser console ---\n{browser_console(driver)}\n--- antenne ---\n{log_tail(stream.log_path)}"
        assert report.started_after is not None, f"playback never started\n{details}"
        assert not report.errors, f"player error: {report.errors}\n{details}"
        assert report.last["videoWidth"] > 0, details
        assert report.advanced >= 0.8 * WATCH_SECONDS, details
        assert driver.execute_script("return document.getElementById('player').mediaKeys !== null"), details
        picture = spread(driver.find_element(By.ID, "player").screenshot_as_png)
        assert picture > NOT_BLANK, f"the screenshot is blank (grey levels spread {picture:.1f})\n{details}"


# Page globals live behind Firefox's X-ray wrappers: wrappedJSObject reaches them.
FIREFOX_STATE_JS = """
const w = window.wrappedJSObject;
const v = document.getElementById('player');
return {
  currentTime: v.currentTime, paused: v.paused, readyState: v.readyState, videoWidth: v.videoWidth,
  error: v.error ? [v.error.code, v.error.message] : null, frames: v.getVideoPlaybackQuality().totalVideoFrames,
  mediaKeys: v.mediaKeys !== null, keys: w.antenne && w.antenne.clearKey ? w.antenne.clearKey.sessions.size : 0,
  errors: w.__errors ? JSON.parse(JSON.stringify(w.__errors)) : null, waitingForKey: w.__waitingForKey ?? null,
};
"""
FIREFOX_WATCH_ERRORS_JS = """
window.wrappedJSObject.eval(`window.__errors = []; window.__waitingForKey = 0;
  antenne.on('error', (d) => __errors.push(d));
  document.getElementById('player').addEventListener('waitingforkey', () => { __waitingForKey += 1; });`);
"""


def test_the_antenne_player_plays_it_with_clear_key_in_firefox(stream, tmp_path):
    """Firefox takes a `cbcs` sample's key from its init segment's `tenc` alone (clearkey.js,
    KEY_IN_INIT): the player appends an init segment naming each key period's key. Over HLS and
    DASH, across key periods, in one Firefox."""
    from firefox import FIREFOX, marionette, wait_until_playing

    if not os.access(FIREFOX, os.X_OK):
        pytest.skip(f"{FIREFOX} not installed")
    pytest.importorskip("marionette_driver")
    with marionette(tmp_path) as client:
        for format in ("hls", "dash"):
            client.navigate(stream.url("/watch/demo" + QUERY + ("&format=dash" if format == "dash" else "")))
            client.execute_script(FIREFOX_WATCH_ERRORS_JS)
            try:
                first = wait_until_playing(client, FIREFOX_STATE_JS, f"{format} in Firefox")
            except AssertionError as error:
                pytest.fail(f"{error}\n--- firefox ---\n{log_tail(tmp_path / 'firefox.log')}\n--- antenne ---\n{log_tail(stream.log_path)}")
            time.sleep(WATCH_SECONDS)
            last = client.execute_script(FIREFOX_STATE_JS)
            details = f"{format}: first {first}\nlast {last}"
            assert last["error"] is None and not last["errors"], details
            assert last["currentTime"] - first["currentTime"] >= 0.8 * WATCH_SECONDS, details
            assert last["frames"] > first["frames"] and last["videoWidth"] > 0 and last["mediaKeys"], details
            # A key every ROTATION segments: the window played here needed more than one.
            assert last["keys"] >= 2, details
            picture = spread(client.screenshot(element=client.find_element("id", "player"), format="binary"))
            assert picture > NOT_BLANK, f"the screenshot is blank (grey levels spread {picture:.1f})\n{details}"
