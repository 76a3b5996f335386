"""A slate channel in Chromium (issue "More ways in and out": "With no publisher, a slate channel
plays in Chromium, then the live takes over when it starts"): `antenne serve --slate demo:card`
with no publisher; `/watch/demo` plays the generated card (time advances, the picture is the
card's colour and tesseract reads the channel's name on it), then an ffmpeg test pattern publishes
and the same page keeps playing across the discontinuity and shows the live picture.

Screenshots go to tests/browser/artifacts/ (gitignored), or $ANTENNE_ARTIFACTS."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from browser_env import _ACTIVE_LOGS, publisher_command
from player import browser_console
from procutil import kill_tree, log_tail

ANTENNE_ARGS = ["--slate", "demo:card", "--slate-timeout", "60"]
ARTIFACTS = Path(os.environ.get("ANTENNE_ARTIFACTS", Path(__file__).parent / "artifacts"))
# The slate's FFmpeg starts and its first segments are packaged within this; then the page starts.
SLATE_TIMEOUT = 40.0
# The live input takes over at its first key frame (2 s GOP) and the player reaches it.
TAKEOVER_TIMEOUT = 25.0
# Seconds of playback watched on the card.
WATCH = 3.0
# The card's background (Slate+FFmpeg.swift: `color=c=0x1d2433`) and how far a screenshot's pixel
# may stray from it per channel (scaling, chroma subsampling and the encoder's loss).
CARD_RGB = (0x1D, 0x24, 0x33)
CARD_TOLERANCE = 24
# Share of the picture in the card's colour: the card is mostly background (its two lines of text
# cover about a tenth); testsrc2's bars, gradient and moving shapes have almost none of it.
CARD_AT_LEAST = 0.6
LIVE_AT_MOST = 0.2

STATE_JS = """
const v = document.getElementById('player');
const q = v.getVideoPlaybackQuality();
return {currentTime: v.currentTime, paused: v.paused, error: v.error ? v.error.code : null,
        width: v.videoWidth, height: v.videoHeight, frames: q.totalVideoFrames};
"""

# The test is about the slate, not autoplay policy: start the element muted if the page did not.
KICK_JS = """
const v = document.getElementById('player');
if (v && v.paused) { v.muted = true; v.play().catch(() => {}); }
"""


def pixels(png: bytes) -> list[tuple[int, int, int]]:
    """The screenshot scaled to 64x36, as RGB triples (ffmpeg decodes the PNG)."""
    out = subprocess.run([shutil.which("ffmpeg") or "ffmpeg", "-hide_banner", "-loglevel", "error", "-i", "pipe:0",
                          "-vf", "scale=64:36", "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1"],
                         input=png, capture_output=True, timeout=30, check=True).stdout
    assert len(out) == 64 * 36 * 3, f"{len(out)} bytes decoded from the screenshot"
    return [tuple(out[i:i + 3]) for i in range(0, len(out), 3)]


def card_share(png: bytes) -> float:
    """The share of the picture within CARD_TOLERANCE of the card's background colour."""
    picture = pixels(png)
    near = [p for p in picture if all(abs(c - k) <= CARD_TOLERANCE for c, k in zip(p, CARD_RGB))]
    return len(near) / len(picture)


def save(png: bytes, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(png)
    return path


def read_text(png_path: Path) -> str:
    """What tesseract reads on a screenshot."""
    result = subprocess.run(["tesseract", str(png_path), "stdout"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def wait(driver, predicate, timeout: float, what: str, kick: bool = False) -> dict:
    deadline = time.monotonic() + timeout
    state = driver.execute_script(STATE_JS)
    while not predicate(state):
        assert state["error"] is None, f"{what}: player error {state}\n{browser_console(driver)}"
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout}s; last state {state}\n--- console ---\n{browser_console(driver)}")
        if kick:
            driver.execute_script(KICK_JS)
        time.sleep(0.25)
        state = driver.execute_script(STATE_JS)
    return state


def test_a_slate_plays_in_chromium_and_the_live_takes_over(antenne, driver, tmp_path):
    from selenium.webdriver.common.by import By

    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not installed")
    driver.get(antenne.url(f"/watch/{antenne.channel}"))
    wait(driver, lambda s: s["currentTime"] > 0 and not s["paused"] and s["frames"] > 0, SLATE_TIMEOUT,
         "the slate playing", kick=True)
    first = driver.execute_script(STATE_JS)
    time.sleep(WATCH)
    card = driver.execute_script(STATE_JS)
    assert card["currentTime"] - first["currentTime"] >= 0.7 * WATCH, f"the card does not play on: {first} -> {card}"
    assert card["frames"] > first["frames"] and card["error"] is None, card
    # The card is 1280x720 (Slate+FFmpeg.swift), in the source rendition or a rung of the ladder.
    assert card["width"] > 0 and card["width"] * 9 == card["height"] * 16, card
    png = driver.find_element(By.ID, "player").screenshot_as_png
    shot = save(png, "slate_card.png")
    share_card = card_share(png)
    assert share_card >= CARD_AT_LEAST, f"the picture is not the card ({share_card:.0%} in its colour; {shot})"
    if shutil.which("tesseract"):
        text = read_text(shot)
        assert antenne.channel in text.split() and "right back" in text, f"tesseract read {text!r} on {shot}"
    assert "slate started" in antenne.log_path.read_text()

    # An encoder publishes: the same page goes on, across the discontinuity, to its picture.
    log_path = tmp_path / "publisher.log"
    with open(log_path, "wb") as log:
        publisher = subprocess.Popen(publisher_command(antenne.publish_url), stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
    _ACTIVE_LOGS["publisher"] = log_path
    try:
        started = time.monotonic()
        before = driver.execute_script(STATE_JS)
        deadline = started + TAKEOVER_TIMEOUT
        while True:
            assert publisher.poll() is None, log_tail(log_path)
            state = driver.execute_script(STATE_JS)
            assert state["error"] is None, f"player error across the switch: {state}\n{browser_console(driver)}"
            png = driver.find_element(By.ID, "player").screenshot_as_png
            share = card_share(png)
            if share <= LIVE_AT_MOST:
                break
            assert time.monotonic() < deadline, (
                f"the live picture did not replace the card within {TAKEOVER_TIMEOUT}s ({share:.0%} still in its "
                f"colour; {state})\n{log_tail(antenne.log_path)}\n--- console ---\n{browser_console(driver)}")
            time.sleep(0.5)
        took = time.monotonic() - started
        shot = save(png, "slate_live.png")
        assert "slate stopped: a live input feeds the channel" in antenne.log_path.read_text(), log_tail(antenne.log_path)
        # And it keeps playing the live input: time advances, frames are decoded, no error.
        after = driver.execute_script(STATE_JS)
        time.sleep(WATCH)
        last = driver.execute_script(STATE_JS)
        assert last["error"] is None and not last["paused"], last
        assert last["currentTime"] - after["currentTime"] >= 0.7 * WATCH, f"the live does not play on: {after} -> {last}"
        assert last["frames"] > after["frames"], last
        assert last["currentTime"] > before["currentTime"], f"time went back across the switch: {before} -> {last}"
        final = card_share(driver.find_element(By.ID, "player").screenshot_as_png)
        assert final <= LIVE_AT_MOST, f"the card came back ({final:.0%} in its colour; {shot})"
        print(f"\nslate: the card played ({share_card:.0%} in its colour), the live picture showed "
              f"{took:.1f}s after the encoder started and played on")
    finally:
        kill_tree(publisher)
        _ACTIVE_LOGS.pop("publisher", None)
