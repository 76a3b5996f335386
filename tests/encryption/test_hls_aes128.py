"""HLS AES-128 with key rotation, end to end: a real `antenne serve` with an encrypted token
channel (a new key every two segments) fed by ffmpeg; its segments are not the clear bytes,
ffmpeg decodes the stream through the key URL with the token, the key URL refuses a missing or
tampered token, one playlist window names two keys, and the Antenne player plays it in headless
Chromium. One server and one publisher for the module."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "support"))
sys.path.insert(0, str(HERE.parent / "browser"))
sys.path.insert(0, str(HERE))

from encrypted_channel import (  # noqa: E402
    QUERY, attributes, check_key_url_refuses_bad_tokens, chromium, encrypted_channel, fetch, key_lines, media_playlist)
from player import browser_console, probe_playback  # noqa: E402

ROTATION = 2
WATCH_SECONDS = float(os.environ.get("WATCH_SECONDS", "8"))


@pytest.fixture(scope="module")
def stream(tmp_path_factory):
    """The server and its publisher, yielded once the channel's playlist lists two key periods."""
    with encrypted_channel(tmp_path_factory.mktemp("encryption"), f"{ROTATION}") as server:
        yield server


def test_one_window_names_two_keys_with_the_token(stream):
    keys = [attributes(line) for line in key_lines(media_playlist(stream))]
    uris = {key["URI"] for key in keys if key["METHOD"] == "AES-128"}
    assert len(uris) >= 2, keys
    for key in keys:
        assert key["METHOD"] == "AES-128" and key["URI"].endswith(QUERY), key
        period = int(key["URI"].split("?")[0].rsplit("/", 1)[1])
        assert key["IV"] == "0x%032X" % (period * ROTATION), key


def test_segments_are_encrypted_and_decrypt_with_the_served_key(stream):
    text = media_playlist(stream)
    current = None
    checked = 0
    for line in text.splitlines():
        if line.startswith("#EXT-X-KEY:"):
            current = attributes(line)
        elif line and not line.startswith("#") and checked < 2:
            status, headers, sealed = fetch(stream.url("/hls/demo/source/" + line))
            assert status == 200
            # The clear segment starts with a box header (`styp` or `moof`); the sealed one does not.
            assert sealed[4:8] not in (b"moof", b"styp") and len(sealed) % 16 == 0
            key_status, key_headers, key = fetch(stream.url("/hls/demo/" + current["URI"][3:]))
            assert key_status == 200 and len(key) == 16
            assert "no-store" in key_headers["Cache-Control"] and "private" in key_headers["Cache-Control"]
            decryptor = Cipher(algorithms.AES(key), modes.CBC(bytes.fromhex(current["IV"][2:]))).decryptor()
            unpadder = padding.PKCS7(128).unpadder()
            clear = unpadder.update(decryptor.update(sealed) + decryptor.finalize()) + unpadder.finalize()
            assert clear[4:8] in (b"moof", b"styp"), clear[:16]
            checked += 1
    assert checked == 2, text


def test_the_key_url_refuses_a_missing_or_tampered_token(stream):
    check_key_url_refuses_bad_tokens(stream, next(attributes(line)["URI"] for line in key_lines(media_playlist(stream))))


def test_ffmpeg_decodes_through_the_key_url(stream):
    result = subprocess.run(
        [shutil.which("ffmpeg") or "ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i",
         stream.url("/hls/demo/master.m3u8" + QUERY), "-map", "0:v:0", "-t", "4", "-f", "framecrc", "-"],
        capture_output=True, text=True, timeout=60)
    frames = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(frames) >= 60, f"{len(frames)} frames\n{result.stderr[-2000:]}"
    assert "decrypt" not in result.stderr.lower() and "invalid data" not in result.stderr.lower(), result.stderr[-2000:]


def test_the_antenne_player_plays_it_in_chromium(stream, tmp_path):
    with chromium(tmp_path / "chromedriver.log") as driver:
        report = probe_playback(driver, stream.url("/watch/demo" + QUERY), watch_seconds=WATCH_SECONDS)
        details = f"{report.describe()}\n--- browser console ---\n{browser_console(driver)}"
        assert report.started_after is not None, f"playback never started\n{details}"
        assert not report.errors, f"player error: {report.errors}\n{details}"
        assert report.last["videoWidth"] > 0, details
        assert report.advanced >= 0.8 * WATCH_SECONDS, details
        assert driver.execute_script("return document.getElementById('player').src").startswith("blob:"), details
