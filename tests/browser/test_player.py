"""The Antenne player in Chromium: /watch/{channel} plays through Media Source Extensions, the
lineup and its JSON, channel change with ArrowDown/ArrowUp without a page load (time to first
frame measured with requestVideoFrameCallback and printed), and the player's modules as served.

Three live channels (demo, news, sport) are published for the whole module."""

from __future__ import annotations

import json
import time
import urllib.request
from urllib.error import HTTPError

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from lineup import publishing, stream_key
from player import browser_console, wait_for_state

NEWS, SPORT = stream_key("news"), stream_key("sport")
ANTENNE_ARGS = ["--channel", f"news:{NEWS}", "--channel", f"sport:{SPORT}"]
WATCH_SECONDS = 10
CHANNELS = ["demo", "news", "sport"]

STATE_JS = """
const v = document.getElementById('player');
const q = v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality() : null;
const a = window.antenne;
return {
  src: v.src, currentTime: v.currentTime, paused: v.paused, readyState: v.readyState,
  frames: q ? q.totalVideoFrames : null, error: v.error ? v.error.code : null, rate: v.playbackRate,
  engine: a ? a.engine : null, channel: a ? a.channel : null, latency: a ? a.latency : null,
  wall: a ? a.wallLatency : null, level: a ? a.level : null,
  title: document.getElementById('title').textContent, path: location.pathname,
  status: document.getElementById('status').textContent, marker: window.__marker || null,
  rail: [...document.querySelectorAll('#channels a')].map(x => [x.dataset.channel, x.hasAttribute('aria-current')]),
};
"""

# Arms the zap probe: the key's event time, then the first frame presented from the new
# MediaSource (requestVideoFrameCallback's `now`), both on the performance.now() clock.
ARM_ZAP_JS = """
const v = document.getElementById('player');
const z = window.__zap = {oldSrc: v.src};
addEventListener('keydown', (e) => { if (z.t0 === undefined) z.t0 = e.timeStamp; }, {capture: true, once: true});
function frame(now, meta) {
  if (z.t0 !== undefined && v.src !== z.oldSrc) { z.t1 = now; z.mediaTime = meta.mediaTime; return; }
  v.requestVideoFrameCallback(frame);
}
v.requestVideoFrameCallback(frame);
"""


@pytest.fixture(scope="module")
def channels(antenne, tmp_path_factory):
    logs = tmp_path_factory.mktemp("publishers")
    with publishing(antenne, {"demo": (antenne.stream_key, "640x360"), "news": (NEWS, "426x240"),
                              "sport": (SPORT, "426x240")}, logs) as procs:
        yield procs


def state(driver) -> dict:
    return driver.execute_script(STATE_JS)


def wait_for(driver, predicate, timeout: float, what: str) -> dict:
    return wait_for_state(driver, STATE_JS, predicate, timeout, what, interval=0.1)


def playing(s: dict) -> bool:
    return s["currentTime"] > 0 and not s["paused"] and (s["frames"] or 0) > 0


def test_watch_page_plays_through_media_source(antenne, channels, driver):
    driver.get(antenne.url("/watch/demo"))
    first = wait_for(driver, playing, 30, "playback start")
    time.sleep(WATCH_SECONDS)
    last = state(driver)
    details = f"first {first}\nlast {last}\n--- console ---\n{browser_console(driver)}"
    assert first["engine"] == "mse", details
    assert last["src"].startswith("blob:"), f"not a MediaSource: {details}"
    assert last["error"] is None, details
    assert last["currentTime"] - first["currentTime"] >= 0.9 * WATCH_SECONDS, details
    assert last["frames"] - first["frames"] >= 0.8 * 30 * WATCH_SECONDS, f"frames decoded: {details}"
    assert last["latency"] is not None and last["latency"] > 0, details
    print(f"\n/watch/demo: latency {last['latency']:.2f}s behind the live edge, "
          f"{last['wall']:.2f}s behind the wall clock (EXT-X-PROGRAM-DATE-TIME), rate {last['rate']}")


def test_arrow_keys_change_channel_without_a_page_load(antenne, channels, driver):
    driver.get(antenne.url("/watch/demo"))
    wait_for(driver, playing, 30, "playback start")
    driver.execute_script("window.__marker = 'same page';")
    wait_for(driver, lambda s: [c for c, _ in s["rail"]] == CHANNELS, 20, "channel rail")

    timings = []
    for key, expected in [(Keys.ARROW_DOWN, "news"), (Keys.ARROW_DOWN, "sport"), (Keys.ARROW_DOWN, "demo"),
                          (Keys.ARROW_UP, "sport"), (Keys.ARROW_UP, "news")]:
        # Let the neighbours' prefetch run, as a viewer who watches a moment before changing.
        time.sleep(2.5)
        driver.execute_script(ARM_ZAP_JS)
        ActionChains(driver).send_keys(key).perform()
        zap = None
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            zap = driver.execute_script("return window.__zap")
            if zap.get("t1") is not None:
                break
            time.sleep(0.05)
        s = state(driver)
        details = f"{s}\nzap {zap}\n--- console ---\n{browser_console(driver)}"
        assert zap and zap.get("t0") is not None and zap.get("t1") is not None, f"no new frame after the key: {details}"
        assert s["marker"] == "same page", f"the page was loaded again: {details}"
        assert s["channel"] == expected and s["title"] == expected and s["path"] == f"/watch/{expected}", details
        assert dict(s["rail"])[expected], f"the rail marks the channel: {details}"
        time.sleep(2)
        after = state(driver)
        timings.append((expected, zap["t1"] - zap["t0"], after["latency"], after["wall"]))
        # Still playing the new channel, frames decoded.
        time.sleep(1)
        later = state(driver)
        assert later["channel"] == expected and later["currentTime"] > after["currentTime"], f"{after}\n{later}"
        assert later["frames"] > after["frames"], f"{after}\n{later}"

    print("\nzap (key press to first frame of the new channel; then behind live 2 s later):")
    for channel, ms, latency, wall in timings:
        print(f"  -> {channel:6s} {ms:7.1f} ms   {latency:.2f}s behind the live edge, {wall:.2f}s behind the wall clock")
    ordered = sorted(ms for _, ms, _, _ in timings)
    print(f"  median {ordered[len(ordered) // 2]:.1f} ms, max {ordered[-1]:.1f} ms")


def test_lineup_lists_public_live_channels(antenne, channels, driver):
    with urllib.request.urlopen(antenne.url("/watch/channels.json"), timeout=10) as r:
        assert r.headers["Content-Type"].startswith("application/json")
        body = json.load(r)
    assert [c["name"] for c in body["channels"]] == CHANNELS, body
    assert body["channels"][1] == {"name": "news", "watch": "watch/news", "master": "hls/news/master.m3u8",
                                   "thumbnail": "hls/news/thumbnail.jpg"}
    driver.get(antenne.url("/watch"))
    deadline = time.monotonic() + 10
    links = []
    while time.monotonic() < deadline and len(links) < 3:
        links = driver.execute_script("return [...document.querySelectorAll('#lineup a')].map(a => a.pathname)")
        time.sleep(0.1)
    assert links == ["/watch/demo", "/watch/news", "/watch/sport"], links


def test_player_modules_are_served(antenne):
    with urllib.request.urlopen(antenne.url("/player/antenne.js"), timeout=10) as r:
        assert r.headers["Content-Type"] == "text/javascript; charset=utf-8"
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        assert "max-age" in r.headers["Cache-Control"]
        etag = r.headers["ETag"]
        assert b"export function createPlayer" in r.read()
    request = urllib.request.Request(antenne.url("/player/antenne.js"), headers={"If-None-Match": etag})
    with pytest.raises(HTTPError) as not_modified:
        urllib.request.urlopen(request, timeout=10)
    assert not_modified.value.code == 304
    for missing in ["/player/nothing.js", "/player/..%2FPackage.swift"]:
        with pytest.raises(HTTPError) as error:
            urllib.request.urlopen(antenne.url(missing), timeout=10)
        assert error.value.code == 404
