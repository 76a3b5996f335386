"""Viewer quality reports: a player playing /watch/demo in Chromium posts its report to
/player/beacon about every 10 s and when the page is left; the server counts them, as /metrics
shows."""

from __future__ import annotations

import re
import time
import urllib.request

from player import browser_console

PLAYING_JS = """
const v = document.getElementById('player');
return v.currentTime > 0 && !v.paused && v.getVideoPlaybackQuality().totalVideoFrames > 0;
"""


def metric(antenne, name: str, **labels: str) -> float:
    """The value of one series of /metrics (0 when it is not there)."""
    with urllib.request.urlopen(antenne.url("/metrics"), timeout=10) as r:
        text = r.read().decode()
    for line in text.splitlines():
        match = re.match(rf"^{name}\{{(.*)\}} (\S+)$", line)
        if match and all(f'{k}="{v}"' in match.group(1) for k, v in labels.items()):
            return float(match.group(2))
    return 0.0


def wait_metric(antenne, name: str, at_least: float, timeout: float, driver, **labels: str) -> float:
    deadline = time.monotonic() + timeout
    while (value := metric(antenne, name, **labels)) < at_least:
        assert time.monotonic() < deadline, f"{name}{labels} stayed at {value}\n--- console ---\n{browser_console(driver)}"
        time.sleep(0.5)
    return value


def test_a_playing_player_reports_and_the_server_counts(antenne, publisher, driver):
    assert metric(antenne, "antenne_viewer_reports_total", channel="demo") == 0
    driver.get(antenne.url("/watch/demo"))
    deadline = time.monotonic() + 30
    while not driver.execute_script(PLAYING_JS):
        assert time.monotonic() < deadline, browser_console(driver)
        time.sleep(0.2)
    # The first report within about 10 s of the page starting.
    wait_metric(antenne, "antenne_viewer_reports_total", 1, 15, driver, channel="demo")
    assert metric(antenne, "antenne_viewer_startups_total", channel="demo", within_ms="any") == 1
    startup = metric(antenne, "antenne_viewer_startup_seconds_total", channel="demo")
    assert 0 < startup < 30, startup
    assert metric(antenne, "antenne_viewer_latency_reports_total", channel="demo") >= 1
    assert metric(antenne, "antenne_viewer_bitrate_reports_total", channel="demo") >= 1
    assert metric(antenne, "antenne_viewer_bitrate_bps_total", channel="demo") > 100_000
    latency = metric(antenne, "antenne_viewer_latency_seconds_total", channel="demo")
    assert 0 < latency < 10, latency

    # Leaving the page sends what is pending at once.
    before = metric(antenne, "antenne_viewer_reports_total", channel="demo")
    time.sleep(2)
    driver.get(antenne.url("/healthz"))
    wait_metric(antenne, "antenne_viewer_reports_total", before + 1, 5, driver, channel="demo")
    # One first frame, however many reports.
    assert metric(antenne, "antenne_viewer_startups_total", channel="demo", within_ms="any") == 1
