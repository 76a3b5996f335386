"""End to end: RTMP publish with ffmpeg -> Antenne -> LL-HLS -> the watch page in Chromium."""

from __future__ import annotations

import os

import pytest

from player import browser_console, probe_playback
from procutil import http_status

WATCH_SECONDS = float(os.environ.get("WATCH_SECONDS", "20"))
# Playback must keep up with wall time; allow 10 % for sampling jitter and a short
# rebuffer (20 s of wall time must give at least 18 s of media).
MIN_ADVANCE_RATIO = 0.9


def test_watch_page_plays_live_channel(antenne, publisher, driver):
    report = probe_playback(driver, antenne.url(f"/watch/{antenne.channel}"),
                            watch_seconds=WATCH_SECONDS)
    details = f"{report.describe()}\n--- browser console ---\n{browser_console(driver)}"

    assert publisher.poll() is None, f"publisher exited early ({publisher.returncode})\n{details}"
    assert report.started_after is not None, f"playback never started\n{details}"
    assert not report.errors, f"player.error was set: {report.errors}\n{details}"
    assert report.last["error"] is None, details
    assert report.last["videoWidth"] > 0, f"no decoded video frames\n{details}"
    assert report.wall >= WATCH_SECONDS - 0.5, details
    assert report.advanced >= MIN_ADVANCE_RATIO * WATCH_SECONDS, (
        f"currentTime advanced {report.advanced:.2f}s in {report.wall:.2f}s of wall time\n{details}")


@pytest.mark.parametrize("path", [
    "/watch/unknown",
    "/hls/unknown/master.m3u8",
    "/hls/unknown/source/index.m3u8",
    "/hls/unknown/source/init.mp4",
    "/hls/unknown/source/0.m4s",
    "/hls/unknown/source/0.0.m4s",
])
def test_unknown_channel_is_404(antenne, path):
    # A plain 404: no redirect to a generic page, no 200 with an error body.
    assert http_status(antenne.url(path)) == 404
