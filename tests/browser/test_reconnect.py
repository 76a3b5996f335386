"""An encoder that reconnects within the live window: the playlists go on after an
EXT-X-DISCONTINUITY, and the Antenne player in Chromium goes on playing the new session
without a page load."""

from __future__ import annotations

import subprocess
import time

from browser_env import publisher_command
from player import browser_console
from procutil import kill_tree

STATE_JS = """
const v = document.getElementById('player');
return {currentTime: v.currentTime, paused: v.paused, error: v.error ? v.error.code : null,
        frames: v.getVideoPlaybackQuality().totalVideoFrames, src: v.src,
        status: document.getElementById('status').textContent};
"""


def test_player_follows_an_encoder_reconnect(antenne, publisher, driver, tmp_path):
    driver.get(antenne.url(f"/watch/{antenne.channel}"))
    deadline = time.monotonic() + 30
    while driver.execute_script(STATE_JS)["currentTime"] <= 1:
        assert time.monotonic() < deadline, browser_console(driver)
        time.sleep(0.2)
    src = driver.execute_script(STATE_JS)["src"]

    kill_tree(publisher)
    time.sleep(3)
    log = open(tmp_path / "publisher-again.log", "wb")
    again = subprocess.Popen(publisher_command(antenne.publish_url), stdout=log, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        # The new session's media reaches the playlist after its first segment.
        time.sleep(6)
        before = driver.execute_script(STATE_JS)
        time.sleep(8)
        after = driver.execute_script(STATE_JS)
        playlist = subprocess.run(["curl", "-s", antenne.url(f"/hls/{antenne.channel}/source/index.m3u8")],
                                  capture_output=True, text=True, timeout=10).stdout
        details = f"{before}\n{after}\n--- playlist ---\n{playlist}\n--- console ---\n{browser_console(driver)}"
        assert "#EXT-X-DISCONTINUITY" in playlist, details
        assert after["error"] is None, details
        assert after["currentTime"] - before["currentTime"] >= 6, f"not playing the new session: {details}"
        assert after["frames"] > before["frames"], details
        print(f"\nafter the reconnect: {after['currentTime'] - before['currentTime']:.2f}s played in 8s, "
              f"{'same MediaSource' if after['src'] == src else 'the player restarted'}")
    finally:
        kill_tree(again)
        log.close()
