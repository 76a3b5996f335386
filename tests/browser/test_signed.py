"""Signed playback URLs in Chromium: a token channel plays from /watch/demo?token=…, the
Antenne player (Media Source Extensions) following the token through every playlist, and the
page says why when the link is missing, tampered with or expired.

The tokens here are signed in Python from the format documented in the README, so the test also
checks that an issuer in another language gets it right."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
import subprocess
import time
import urllib.request

from player import browser_console, probe_playback
from procutil import http_status

SECRET = bytes(range(32))
ANTENNE_ARGS = ["--token-channel", "demo", "--playback-key", "k1:" + SECRET.hex()]
# What this checks is the token followed through every playlist and part (a playlist reload every
# part, 0.5 s); test_watch.py plays 20 s for sustained playback.
WATCH_SECONDS = float(os.environ.get("WATCH_SECONDS", "10"))


def sign(channel: str, expires_at: int, session: bytes = b"", key_id: bytes = b"k1", secret: bytes = SECRET) -> str:
    payload = (bytes([1, len(key_id)]) + key_id + bytes([len(channel)]) + channel.encode()
               + struct.pack(">q", expires_at) + bytes([len(session)]) + session)
    mac = hmac.new(secret, payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(payload + mac).rstrip(b"=").decode()


TOKEN = sign("demo", int(time.time()) + 3600, b"browser-test")
PLAYBACK_QUERY = "?token=" + TOKEN


def status_text(driver) -> str:
    return driver.execute_script("return document.getElementById('status').textContent")


def test_chromium_plays_a_signed_watch_url(antenne, antenne_path, publisher, driver):
    # The operator's way: `antenne sign-url --watch` with the server's key.
    url = subprocess.run(
        [str(antenne_path), "sign-url", "--channel", "demo", "--expires-in", "600", "--watch",
         "--base", antenne.base_url, "--playback-key", "k1:" + SECRET.hex()],
        check=True, capture_output=True, text=True, timeout=30).stdout.strip()
    assert url.startswith(antenne.url("/watch/demo?token=")), url

    report = probe_playback(driver, url, watch_seconds=WATCH_SECONDS)
    details = f"{report.describe()}\n--- browser console ---\n{browser_console(driver)}"
    assert publisher.poll() is None, f"publisher exited early ({publisher.returncode})\n{details}"
    assert report.started_after is not None, f"playback never started\n{details}"
    assert not report.errors, f"player.error was set: {report.errors}\n{details}"
    assert report.last["videoWidth"] > 0, f"no decoded video frames\n{details}"
    assert report.advanced >= 0.9 * WATCH_SECONDS, (
        f"currentTime advanced {report.advanced:.2f}s in {report.wall:.2f}s of wall time\n{details}")
    assert driver.execute_script("return document.getElementById('player').src").startswith("blob:"), details
    # The poster came through the token too.
    poster = driver.execute_script("return document.getElementById('player').poster")
    assert "token=" in poster, poster
    with urllib.request.urlopen(poster, timeout=10) as thumbnail:
        assert thumbnail.read(3) == b"\xff\xd8\xff"


def test_token_channel_refuses_without_a_valid_token(antenne, publisher, driver):
    base = antenne.url("/hls/demo/master.m3u8")
    assert http_status(base + PLAYBACK_QUERY) == 200
    assert http_status(base) == 401
    assert http_status(base + "?token=" + sign("demo", int(time.time()) + 3600, secret=bytes(32))) == 403
    assert http_status(base + "?token=" + sign("demo", int(time.time()) - 1)) == 410
    assert http_status(antenne.url("/hls/demo/source/init.mp4")) == 401

    # One character of the signature changed: a link someone edited.
    tampered = TOKEN[:-3] + ("A" if TOKEN[-3] != "A" else "B") + TOKEN[-2:]
    assert http_status(base + "?token=" + tampered) == 403
    for query, expected in [("", "needs a valid link"), ("?token=" + tampered, "needs a valid link"),
                            ("?token=" + sign("demo", 1), "expired")]:
        driver.get(antenne.url("/watch/demo" + query))
        deadline = time.monotonic() + 10
        while expected not in status_text(driver) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert expected in status_text(driver), f"{query}: {status_text(driver)}"
