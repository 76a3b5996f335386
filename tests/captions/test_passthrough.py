"""Captions through the passthrough path (issue 18, item 4): ffmpeg publishes the captioned
vector over RTMP to a real `antenne serve`; the source rendition keeps the SEI (ffprobe sees
"Closed Captions", ffmpeg reads the text), the multivariant playlist and the MPD signal its
channels (CC1, CC3, CEA-708 service 1), and the web player in Chromium shows a cue with the known
text once the viewer turns captions on, and CC3's when the page asks for that channel.

Waits have upper bounds only; no timing is asserted. The screenshot of the cue is written to
tests/captions/artifacts/ (or $ANTENNE_ARTIFACTS)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from captions_env import captioned_channel
from captions_probe import CC_ACCESSIBILITY, CC_MEDIA, assert_rendition_keeps_captions, captions_media, variants, video_accessibility, wait_for_signalling
from selenium.webdriver.common.by import By

ARTIFACTS = Path(os.environ.get("ANTENNE_ARTIFACTS", Path(__file__).parent / "artifacts"))
# Upper bound for the player to start and the first caption after the viewer asks for them: the
# vector shows a new caption every 2 s.
CUE_TIMEOUT = 40


@pytest.fixture(scope="module")
def server(vector, tmp_path_factory):
    with captioned_channel(vector, tmp_path_factory.mktemp("passthrough")) as server:
        yield server


def test_source_rendition_keeps_the_captions(server, tmp_path):
    assert_rendition_keeps_captions(server.base_url, "source", tmp_path)


def test_playlists_signal_every_channel(server):
    master, mpd = wait_for_signalling(server.base_url)
    assert captions_media(master) == CC_MEDIA, master
    video = [(line, uri) for line, uri in variants(master) if "RESOLUTION=" in line]
    assert video and all('CLOSED-CAPTIONS="cc"' in line for line, _ in video), master
    assert video_accessibility(mpd) == CC_ACCESSIBILITY


_STATE_JS = """
const p = window.antenne;
if (!p || !p.captions) return null;
const track = Array.from(p.video.textTracks).find((t) => t.kind === "captions");
const button = document.querySelector(".antenne-captions");
return {
  available: p.captions.available,
  showing: p.captions.showing,
  mode: track ? track.mode : null,
  active: track && track.activeCues ? Array.from(track.activeCues, (c) => c.text) : [],
  cues: track && track.cues ? track.cues.length : 0,
  currentTime: p.video.currentTime,
  channel: p.captions.channel,
  button: button ? { hidden: button.hidden, pressed: button.getAttribute("aria-pressed") } : null,
};
"""


def wait_for(driver, predicate, timeout: float, what: str) -> dict:
    deadline = time.monotonic() + timeout
    state = driver.execute_script(_STATE_JS)
    while not (state and predicate(state)):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout}s; last state {state}")
        time.sleep(0.2)
        state = driver.execute_script(_STATE_JS)
    return state


def test_player_shows_the_captions(server, driver):
    driver.get(server.url("/watch/demo"))
    state = wait_for(driver, lambda s: s["available"] and s["button"] and not s["button"]["hidden"], CUE_TIMEOUT,
                     "captions found and the CC button shown")
    # Off until the viewer asks: the cues are there, not shown.
    assert state["mode"] == "hidden" and state["button"]["pressed"] == "false", state
    driver.find_element(By.CSS_SELECTOR, ".antenne-captions").click()
    state = wait_for(driver, lambda s: any("HELLO ANTENNE" in text for text in s["active"]), CUE_TIMEOUT,
                     "a cue with the known text active")
    assert state["mode"] == "showing" and state["button"]["pressed"] == "true", state
    cue = next(text for text in state["active"] if "HELLO ANTENNE" in text)
    assert cue.splitlines()[0] == "HELLO ANTENNE" and cue.splitlines()[1].startswith("CUE "), cue
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "captions_cue.png"))


def test_player_shows_the_channel_asked_for(server, driver):
    """`/watch/demo?captions=CC3`: the player shows CC3's captions from the start, and none of
    CC1's."""
    driver.get(server.url("/watch/demo?captions=CC3"))
    state = wait_for(driver, lambda s: any("BONJOUR ANTENNE" in text for text in s["active"]), CUE_TIMEOUT,
                     "a CC3 cue active")
    assert state["mode"] == "showing" and state["channel"] == "CC3", state
    assert not any("HELLO" in text for text in state["active"]), state
    cue = next(text for text in state["active"] if "BONJOUR ANTENNE" in text)
    assert cue.splitlines()[1].startswith("CUE "), cue


_DECODER_JS = """
const done = arguments[arguments.length - 1];
(async () => {
  const { Cea608Decoder } = await import(arguments[0] + "cea608.js");
  const { ccPairsOfSEI } = await import(arguments[0] + "captions.js");
  const odd = (b) => { b &= 0x7F; let n = 0; for (let i = 0; i < 7; i++) n += (b >> i) & 1; return n % 2 ? b : b | 0x80; };
  const run = (pairs, dataChannel = 1) => {
    const shown = [];
    const d = new Cea608Decoder((t, text) => shown.push([t, text]), dataChannel);
    pairs.forEach(([a, b], i) => d.push(i, odd(a), odd(b)));
    d.flush(pairs.length);
    return shown;
  };
  const twice = (a, b) => [[a, b], [a, b]];
  const text = (s) => Array.from({ length: Math.ceil(s.length / 2) }, (_, i) => [s.charCodeAt(2 * i), s.charCodeAt(2 * i + 1) || 0]);
  const out = {};
  // Pop-on: loaded off screen, shown at EOC, cleared by EDM.
  out.popon = run([...twice(0x14, 0x20), ...twice(0x14, 0x2E), ...twice(0x14, 0x40), ...text("HELLO ANTENNE"),
    ...twice(0x14, 0x60), ...text("CUE 0001"), ...twice(0x14, 0x2F), ...twice(0x14, 0x2C)]).map(([, t]) => t);
  // Roll-up, two rows: each CR scrolls.
  out.rollup = run([...twice(0x14, 0x25), ...twice(0x14, 0x60), ...text("ONE"), ...twice(0x14, 0x2D), ...text("TWO"),
    ...twice(0x14, 0x2D), ...text("THREE"), ...twice(0x14, 0x2D)]).map(([, t]) => t);
  // Paint-on: shown as written. A control code sent three times acts twice.
  out.painton = run([...twice(0x14, 0x29), ...twice(0x14, 0x40), ...text("AB"), ...twice(0x14, 0x21), [0x14, 0x21]])
    .map(([, t]) => t);
  // Characters: basic (é at 0x5C), special (♪), extended (Ü replacing U); CC2 text ignored.
  out.chars = run([...twice(0x14, 0x29), ...twice(0x14, 0x40), [0x5C, 0x20], ...twice(0x11, 0x37), [0x55, 0],
    ...twice(0x12, 0x24), ...twice(0x1C, 0x29), ...text("CC2")]).map(([, t]) => t);
  // Data channel 2 (CC2, CC4): its codes have bit 3 of the first byte set; channel 1 ignores them.
  const cc2 = [...twice(0x1C, 0x20), ...twice(0x1C, 0x2E), ...twice(0x1C, 0x40), ...text("TWO"), ...twice(0x1C, 0x2F)];
  out.channel2 = run(cc2, 2).map(([, t]) => t);
  out.channel2ByChannel1 = run(cc2, 1).map(([, t]) => t);
  // SEI: a GA94 message after a long unregistered one; a truncated one reads nothing.
  const ga94 = [0xB5, 0x00, 0x31, 0x47, 0x41, 0x39, 0x34, 0x03, 0xC2, 0xFF, 0xFC, 0xC8, 0x45, 0xFD, 0x94, 0x2C, 0xFF];
  out.sei = ccPairsOfSEI(new Uint8Array([0x05, 0xFF, 0x01, ...new Array(256).fill(7), 0x04, ga94.length, ...ga94, 0x80]));
  out.seiField2 = ccPairsOfSEI(new Uint8Array([0x04, ga94.length, ...ga94, 0x80]), 2);
  out.truncated = ccPairsOfSEI(new Uint8Array([0x04, 0x40, 0xB5, 0x00]));
  out.endless = ccPairsOfSEI(new Uint8Array(1000).fill(0xFF));
  return out;
})().then(done, (e) => done({ error: String(e) }));
"""


def test_decoder_in_chromium(server, driver):
    driver.get(server.url("/healthz"))
    out = driver.execute_async_script(_DECODER_JS, server.url("/player/"))
    assert "error" not in out, out
    assert out["popon"] == ["HELLO ANTENNE\nCUE 0001", ""]
    # Two rows: after each CR the line above stays, the base row is empty again.
    assert out["rollup"] == ["ONE", "ONE\nTWO", "TWO", "TWO\nTHREE", "THREE"]
    assert out["painton"] == ["AB", "A", ""]
    assert out["chars"][-1] == "é ♪Ü" and not any("C" in text for text in out["chars"]), out["chars"]
    assert out["channel2"] == ["TWO"] and out["channel2ByChannel1"] == [], out
    assert out["sei"] == [[0xC8, 0x45]]
    assert out["seiField2"] == [[0x94, 0x2C]]
    assert out["truncated"] == [] and out["endless"] == []
