"""DVR in the Antenne player (Chromium): with `?dvr=` the seek bar reaches into the archive
before the live window, a seek there plays archived segments, and going live comes back to the
target distance from the edge; a start-over (`?start=`) plays from its start and goes live; a
catch-up range (`?start=&end=`) plays as a VOD and ends.

The live window is 10 s so that 20 s back is in the archive, not the live window."""

from __future__ import annotations

import re
import time
import urllib.request
from datetime import datetime, timedelta, timezone

from player import browser_console, wait_for_state

ANTENNE_ARGS = ["--archive", "archive", "--window", "10"]
DVR = 120
# How much archive the test waits for before it seeks back.
ARCHIVED = 30
SEEK_BACK = 20

# Seconds behind live that count as back at live: the 1 s target plus slack. A restart at the live
# edge starts on a key frame, up to a segment further back, and the player then jumps to the target.
BACK_AT_LIVE = 2.0

STATE_JS = """
const v = document.getElementById('player');
const a = window.antenne;
const q = v.getVideoPlaybackQuality();
const r = a && a.seekable;
return {
  currentTime: v.currentTime, paused: v.paused, seeking: v.seeking, ended: v.ended, error: v.error ? v.error.code : null,
  frames: q.totalVideoFrames, latency: a ? a.latency : null, isLive: a ? a.isLive : null, atLive: a ? a.atLive : null,
  state: a ? a.state : null, seekable: r ? [r.start, r.end] : null,
  archived: performance.getEntriesByType('resource').filter(e => e.name.includes('/archive/')).length,
  badge: document.getElementById('badge').textContent,
};
"""


# Runs a player call and times it to the first frame shown after the seek it makes
# (`seeked`, then requestVideoFrameCallback), in ms, into window.__took.
TIMED_JS = """
const v = document.getElementById('player');
const t0 = performance.now();
window.__took = null;
v.addEventListener('seeked', () => v.requestVideoFrameCallback((now) => { window.__took = now - t0; }), {once: true});
eval(arguments[0]);
"""


def timed(driver, call: str) -> None:
    driver.execute_script(TIMED_JS, call)


def took(driver) -> int | None:
    ms = driver.execute_script("return window.__took")
    return None if ms is None else round(ms)


def state(driver) -> dict:
    return driver.execute_script(STATE_JS)


def wait_for(driver, predicate, timeout: float, what: str) -> dict:
    return wait_for_state(driver, STATE_JS, predicate, timeout, what, interval=0.2)


def media_playlist(antenne, query: str) -> str:
    with urllib.request.urlopen(antenne.url(f"/hls/demo/master.m3u8?{query}"), timeout=10) as r:
        master = r.read().decode()
    uri = next(line for line in master.splitlines() if line and not line.startswith("#"))
    with urllib.request.urlopen(antenne.url(f"/hls/demo/{uri}"), timeout=10) as r:
        return r.read().decode()


def archived_seconds(antenne) -> float:
    """Seconds listed before the live window in the DVR playlist (segments under `archive/`)."""
    text = media_playlist(antenne, f"dvr={DVR}")
    total, duration = 0.0, 0.0
    for line in text.splitlines():
        if line.startswith("#EXTINF:"):
            duration = float(line[8:].split(",")[0])
        elif line and not line.startswith("#") and "archive/" in line:
            total += duration
    return total


def wait_archived(antenne, seconds: float) -> None:
    deadline = time.monotonic() + seconds + 60
    while archived_seconds(antenne) < seconds:
        assert time.monotonic() < deadline, f"not {seconds}s archived in time"
        time.sleep(1)


def advancing(driver, seconds: float = 3) -> tuple[dict, dict]:
    before = state(driver)
    time.sleep(seconds)
    after = state(driver)
    assert after["currentTime"] - before["currentTime"] > 0.6 * seconds, f"{before}\n{after}"
    assert after["frames"] > before["frames"], f"no frame decoded: {before}\n{after}"
    return before, after


def test_seek_back_into_the_archive_plays_and_go_live_returns(antenne, publisher, driver):
    wait_archived(antenne, ARCHIVED)
    driver.get(antenne.url(f"/watch/demo?dvr={DVR}&debug"))
    live = wait_for(driver, lambda s: s["frames"] > 0 and not s["paused"] and s["latency"] is not None and s["latency"] < 3,
                    30, "live playback")
    assert live["isLive"] and live["seekable"], live
    start, end = live["seekable"]
    assert end - start >= ARCHIVED, f"the seek bar reaches into the archive: {live}"

    timed(driver, f"window.antenne.seek(v.currentTime - {SEEK_BACK})")
    back = wait_for(driver, lambda s: not s["seeking"] and s["latency"] is not None and s["latency"] > SEEK_BACK - 5
                    and s["frames"] > live["frames"] and s["currentTime"] > 0, 20, "playback after the seek")
    seek_took = took(driver)
    _, after = advancing(driver)
    details = f"{live}\n{back}\n{after}\n--- console ---\n{browser_console(driver)}"
    assert after["archived"] > 0, f"nothing fetched from the archive: {details}"
    assert SEEK_BACK - 5 < after["latency"] < SEEK_BACK + 6, f"not played from where it was seeked to: {details}"
    assert not after["atLive"], details
    # Behind live, the playback rate does not chase the edge: still as far back a few seconds on.
    time.sleep(3)
    later = state(driver)
    assert abs(later["latency"] - after["latency"]) < 1.5, f"{after}\n{later}"

    timed(driver, "window.antenne.goLive()")
    # Live again, at the target distance.
    returned = wait_for(driver, lambda s: s["latency"] is not None and s["latency"] < BACK_AT_LIVE and not s["seeking"], 15,
                        "back to live")
    _, final = advancing(driver)
    live_took = took(driver)

    # The oldest place the seek bar offers plays too (its segment starts just before its first
    # frame; the window slides meanwhile).
    driver.execute_script("window.antenne.seek(window.antenne.seekable.start)")
    oldest = wait_for(driver, lambda s: not s["seeking"] and s["latency"] is not None and s["latency"] > ARCHIVED, 20,
                      "playback at the start of the window")
    advancing(driver)
    assert not oldest["atLive"], oldest
    driver.execute_script("window.antenne.goLive()")
    wait_for(driver, lambda s: s["latency"] is not None and s["latency"] < BACK_AT_LIVE and not s["seeking"], 15,
             "back to live again")
    assert final["latency"] < BACK_AT_LIVE and final["atLive"], f"{returned}\n{final}"
    print(f"\nDVR: seeked {SEEK_BACK}s back (first frame there {seek_took} ms after the call), played "
          f"{after['latency']:.2f}s behind the edge; back to live (first frame {live_took} ms after the call), "
          f"at {final['latency']:.2f}s")


def iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def test_a_catch_up_range_plays_as_a_vod_and_ends(antenne, publisher, driver):
    wait_archived(antenne, 24)
    text = media_playlist(antenne, f"dvr={DVR}")
    dates = [datetime.fromisoformat(d.replace("Z", "+00:00")) for d in re.findall(r"#EXT-X-PROGRAM-DATE-TIME:(\S+)", text)]
    assert dates, text
    start = dates[0] + timedelta(seconds=4)
    end = start + timedelta(seconds=8)
    driver.get(antenne.url(f"/watch/demo?start={iso(start)}&end={iso(end)}&debug"))
    playing = wait_for(driver, lambda s: s["frames"] > 0 and not s["paused"] and s["currentTime"] > 0, 30, "catch-up playback")
    assert playing["isLive"] is False and not playing["atLive"], playing
    first, last = playing["seekable"]
    # Whole segments (2 s GOPs) at each end of the range.
    assert 7 <= last - first <= 13, playing
    assert playing["currentTime"] - first < 2, f"a catch-up plays from its start: {playing}"
    ended = wait_for(driver, lambda s: s["ended"] and s["state"] == "ended", 30, "the end of the catch-up")
    assert ended["currentTime"] >= last - 0.5, ended
    assert ended["badge"] != "LIVE", ended
    assert ended["archived"] > 0, ended
    # It stays ended (not reloaded like a live channel whose publisher left).
    time.sleep(4)
    assert state(driver)["ended"], state(driver)


def test_a_start_over_plays_from_its_start_and_goes_live(antenne, publisher, driver):
    wait_archived(antenne, 24)
    start = datetime.now(timezone.utc) - timedelta(seconds=20)
    driver.get(antenne.url(f"/watch/demo?start={iso(start)}&debug"))
    playing = wait_for(driver, lambda s: s["frames"] > 0 and not s["paused"] and s["currentTime"] > 0, 30, "start-over playback")
    assert playing["isLive"] and not playing["atLive"], playing
    assert playing["latency"] > 14, f"a start-over plays from its start: {playing}"
    before, after = advancing(driver)
    assert abs(after["latency"] - before["latency"]) < 1.5, f"no chase of the edge: {before}\n{after}"
    driver.execute_script("window.antenne.goLive()")
    live = wait_for(driver, lambda s: s["latency"] is not None and s["latency"] < 3 and s["atLive"] and not s["seeking"], 20,
                    "the live stream")
    advancing(driver)
    assert live["badge"] == "LIVE", live
