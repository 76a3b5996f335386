"""Firefox ESR (no native HLS) plays a live channel with the Antenne player for 20 s without a
stall, driven over Marionette."""

from __future__ import annotations

import os
import time

import pytest

from firefox import FIREFOX, marionette, wait_until_playing

WATCH_SECONDS = float(os.environ.get("WATCH_SECONDS", "20"))

# Page globals live behind Firefox's X-ray wrappers: wrappedJSObject reaches them.
STATE_JS = """
const w = window.wrappedJSObject;
const v = document.getElementById('player');
const q = v.getVideoPlaybackQuality();
return {
  currentTime: v.currentTime, paused: v.paused, readyState: v.readyState, src: v.src,
  error: v.error ? v.error.code : null, frames: q.totalVideoFrames, rate: v.playbackRate,
  engine: w.antenne ? w.antenne.engine : null, latency: w.antenne ? w.antenne.latency : null,
  stalls: w.__stalls ? w.__stalls.length : null, waiting: w.__waiting ?? null,
  status: document.getElementById('status').textContent,
};
"""

# Counted from the first frame on: the player's stall events and the element's `waiting`.
COUNT_STALLS_JS = """
const w = window.wrappedJSObject;
w.eval(`window.__stalls = []; window.__waiting = 0;
  antenne.on('stall', (d) => { if (d.state === 'start') __stalls.push(d); });
  document.getElementById('player').addEventListener('waiting', () => { __waiting += 1; });`);
"""


def test_firefox_plays_a_live_channel_without_stalling(antenne, publisher, tmp_path):
    if not os.access(FIREFOX, os.X_OK):
        pytest.skip(f"{FIREFOX} not installed")
    pytest.importorskip("marionette_driver")
    with marionette(tmp_path) as client:
        client.navigate(antenne.url(f"/watch/{antenne.channel}"))
        wait_until_playing(client, STATE_JS, "playback")
        client.execute_script(COUNT_STALLS_JS)
        first = client.execute_script(STATE_JS)
        samples = [first]
        t0 = time.monotonic()
        while time.monotonic() - t0 < WATCH_SECONDS:
            time.sleep(1)
            samples.append(client.execute_script(STATE_JS))
        wall = time.monotonic() - t0
        last = samples[-1]
        trace = "\n".join(f"  cur={x['currentTime']:8.3f} ready={x['readyState']} rate={x['rate']} "
                          f"frames={x['frames']} latency={x['latency']} stalls={x['stalls']} waiting={x['waiting']} "
                          f"status={x['status']!r}" for x in samples)
        assert first["engine"] == "mse" and last["src"].startswith("blob:"), trace
        assert last["error"] is None, trace
        assert last["stalls"] == 0, f"stalled:\n{trace}"
        assert last["currentTime"] - first["currentTime"] >= 0.95 * wall, f"fell behind the wall clock:\n{trace}"
        assert last["frames"] > first["frames"], trace
        print(f"\nFirefox: {last['currentTime'] - first['currentTime']:.2f}s played in {wall:.2f}s, "
              f"latency {last['latency']:.2f}s, {last['waiting']} waiting events")
