"""Adaptive bitrate in the Antenne player: on the `mobile` ladder (360p and 240p from a 640x360
source) it starts on the lowest rendition, moves up on loopback, and moves down again when
DevTools throttles the page's network below the upper rendition's bandwidth."""

from __future__ import annotations

import time

from player import browser_console

ANTENNE_ARGS = ["--ladder", "mobile"]

RECORD_JS = """
window.__switches = [];
antenne.on('levelswitch', (d) => window.__switches.push(d));
"""

STATE_JS = """
const v = document.getElementById('player');
return {level: antenne.level, levels: antenne.levels.map(l => l.height), switches: window.__switches,
        currentTime: v.currentTime, paused: v.paused, width: v.videoWidth};
"""


def wait_for(driver, predicate, timeout, what):
    deadline = time.monotonic() + timeout
    s = driver.execute_script(STATE_JS)
    while not predicate(s):
        assert time.monotonic() < deadline, f"{what}: {s}\n--- console ---\n{browser_console(driver)}"
        time.sleep(0.25)
        s = driver.execute_script(STATE_JS)
    return s


def test_abr_moves_up_then_down_under_throttling(antenne, publisher, driver):
    driver.get(antenne.url(f"/watch/{antenne.channel}"))
    deadline = time.monotonic() + 30
    while not driver.execute_script("return !!window.antenne && antenne.levels.length > 0"):
        assert time.monotonic() < deadline, browser_console(driver)
        time.sleep(0.1)
    driver.execute_script(RECORD_JS)
    s = driver.execute_script(STATE_JS)
    assert s["levels"] == [240, 360], s
    wait_for(driver, lambda s: s["currentTime"] > 0, 30, "playback start")
    # The first-frame event follows the frame's presentation (requestVideoFrameCallback), which
    # a loaded machine may report after currentTime has moved.
    deadline = time.monotonic() + 10
    while (first := driver.execute_script("return antenne.lastFirstFrame")) is None:
        assert time.monotonic() < deadline, "no firstframe event after playback started"
        time.sleep(0.1)
    assert first["height"] == 240, f"starts on the lowest rendition: {first}"
    wait_for(driver, lambda s: s["level"] == 1, 30, "no switch up on loopback")

    # Well under the 360p variant's bandwidth, above the 240p one's.
    bandwidth = driver.execute_script("return antenne.levels.map(l => l.bandwidth)")
    kbits = (bandwidth[0] + bandwidth[1]) / 2 / 1000
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": False, "latency": 20, "downloadThroughput": kbits * 1000 / 8, "uploadThroughput": 1_000_000})
    t0 = time.monotonic()
    down = wait_for(driver, lambda s: s["level"] == 0, 40, f"no switch down at {kbits:.0f} kbit/s")
    print(f"\nABR: up to 360p on loopback; down to 240p {time.monotonic() - t0:.1f}s after throttling to "
          f"{kbits:.0f} kbit/s (variants {[round(b / 1000) for b in bandwidth]} kbit/s)")
    assert down["switches"][-1]["to"] == 0, down
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    later = driver.execute_script(STATE_JS)
    time.sleep(3)
    assert driver.execute_script(STATE_JS)["currentTime"] > later["currentTime"], "still playing after the switch"
