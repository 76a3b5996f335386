"""Adaptive bitrate in the browser: the `mobile` ladder's multivariant playlist in Chromium."""

from __future__ import annotations

import os
import urllib.request

from player import browser_console, probe_playback

ANTENNE_ARGS = ["--ladder", "mobile"]
# What this checks is the ladder's renditions playing; test_watch.py plays 20 s for sustained playback.
WATCH_SECONDS = float(os.environ.get("WATCH_SECONDS", "10"))


def test_chromium_plays_the_transcoded_ladder(antenne, publisher, driver):
    master = urllib.request.urlopen(antenne.url(f"/hls/{antenne.channel}/master.m3u8"), timeout=10).read().decode()
    # A 640x360 source: the mobile ladder keeps 360p and 240p (never upscales) and adds
    # the 64 kbit/s audio-only variant.
    assert "360p/index.m3u8" in master and "240p/index.m3u8" in master, master
    assert "720p/index.m3u8" not in master and "source/index.m3u8" not in master, master

    report = probe_playback(driver, antenne.url(f"/watch/{antenne.channel}"), watch_seconds=WATCH_SECONDS)
    details = f"{report.describe()}\n--- browser console ---\n{browser_console(driver)}"
    assert publisher.poll() is None, f"publisher exited early ({publisher.returncode})\n{details}"
    assert report.started_after is not None, f"playback never started\n{details}"
    assert not report.errors, f"player.error was set: {report.errors}\n{details}"
    assert report.last["videoWidth"] in (426, 640), f"a transcoded rendition plays\n{details}"
    assert report.advanced >= 0.9 * WATCH_SECONDS, (
        f"currentTime advanced {report.advanced:.2f}s in {report.wall:.2f}s of wall time\n{details}")

    # The player's poster: a JPEG of a recent key frame.
    thumbnail = urllib.request.urlopen(antenne.url(f"/hls/{antenne.channel}/thumbnail.jpg"), timeout=10)
    assert thumbnail.headers["Content-Type"] == "image/jpeg"
    assert thumbnail.read(3) == b"\xff\xd8\xff"
