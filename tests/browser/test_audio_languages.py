"""Several audio languages (issue 18, item 6): an encoder publishes MPEG-TS over SRT with two AAC
programmes, English at 440 Hz and French at 880 Hz (ISO 639 language descriptors, as ffmpeg's
`-metadata:s:a:N language=` writes them). The multivariant playlist lists both in its audio
group (`LANGUAGE`, `NAME`, `DEFAULT=YES` on the first only), the MPD has an AdaptationSet for
each (`lang`, `Role` main/alternate), ffmpeg decodes each rendition to its own tone, and the web
player in Chromium offers the choice: over HLS and over DASH it starts in English, switches to
French (the keyboard, then the list) while the video plays on, and the tone it plays changes.

The tone the page hears is measured with Web Audio (an AnalyserNode on the <video>): the peak of
its spectrum, 440 Hz or 880 Hz."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from audio_languages import TONES, rendition_language, rendition_tone, two_languages_command
from browser_env import PLAYLIST_TIMEOUT, _ACTIVE_LOGS
from firefox import FIREFOX, marionette
from player import wait_for_state
from procutil import kill_tree, log_tail, wait_for_status

# A measured tone is this close to the one expected (a 8192-point FFT at 48 kHz: 5.9 Hz a bin).
TONE_TOLERANCE = 30
# The new language is heard within this after the switch (what is buffered ahead plays out
# first: under a second at the live edge).
SWITCH_WITHIN = 10.0
START_WITHIN = 30.0

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg not installed")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


@pytest.fixture(scope="module")
def two_languages(antenne, tmp_path_factory):
    """ffmpeg publishing H.264 and two AAC programmes (eng 440 Hz, fra 880 Hz) over SRT to `demo`,
    once the multivariant playlist lists both languages."""
    log_path = tmp_path_factory.mktemp("srt-publisher") / "publisher.log"
    url = f"srt://127.0.0.1:{antenne.srt_port}?streamid=publish:{antenne.stream_key}"
    command = two_languages_command(url)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        _ACTIVE_LOGS["publisher"] = log_path
        try:
            master_url = antenne.url(f"/hls/{antenne.channel}/master.m3u8")
            wait_for_status(master_url, 200, PLAYLIST_TIMEOUT, [proc, antenne.process], "master playlist")
            deadline = time.monotonic() + PLAYLIST_TIMEOUT
            while fetch(master_url).count("TYPE=AUDIO") < 2:
                assert time.monotonic() < deadline, f"{fetch(master_url)}\n{log_tail(antenne.log_path)}"
                time.sleep(0.2)
            yield proc
        finally:
            kill_tree(proc)
            _ACTIVE_LOGS.pop("publisher", None)


def test_manifests_list_both_languages(antenne, two_languages) -> None:
    master = fetch(antenne.url(f"/hls/{antenne.channel}/master.m3u8"))
    media = [line for line in master.splitlines() if line.startswith("#EXT-X-MEDIA:TYPE=AUDIO")]
    assert media == [
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="en",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"',
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="fr",LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=YES,CHANNELS="2",URI="audio-fra/index.m3u8"',
    ], master
    mpd = fetch(antenne.url(f"/dash/{antenne.channel}/manifest.mpd"))
    sets = re.findall(r'<AdaptationSet [^>]*contentType="audio"[^>]*lang="(\w+)"[^>]*>\s*<Role schemeIdUri="urn:mpeg:dash:role:2011" '
                      r'value="(\w+)"/>\s*<Representation id="([\w-]+)"', mpd)
    assert sets == [("en", "main", "audio"), ("fr", "alternate", "audio-fra")], mpd


@pytest.mark.parametrize("language,rendition", [("eng", "audio"), ("fra", "audio-fra")])
def test_each_rendition_decodes_to_its_language(antenne, two_languages, language, rendition) -> None:
    playlist = antenne.url(f"/hls/{antenne.channel}/{rendition}/index.m3u8")
    assert rendition_language(playlist) == [f"aac,{language}"]
    assert abs(rendition_tone(playlist) - TONES[language]) < 5


# The player's audio state, and the peak of the spectrum the page hears (an AnalyserNode put on
# the <video> on first call; the element is unmuted for it: Chromium runs with --mute-audio).
STATE_JS = r"""
const v = document.getElementById('player');
const p = window.antenne;
if (!v) return null;
if (!window.__analyser && p && v.readyState >= 2) {
  const ctx = new AudioContext();
  const source = ctx.createMediaElementSource(v);
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 8192;
  source.connect(analyser);
  analyser.connect(ctx.destination);
  v.muted = false;
  ctx.resume();
  window.__analyser = analyser;
  window.__switches = [];
  window.__stalls = 0;
  p.on('audioswitch', (d) => window.__switches.push(d));
  p.on('stall', (d) => { if (d.state === 'start') window.__stalls += 1; });
}
let peak = null;
const a = window.__analyser;
if (a) {
  const bins = new Float32Array(a.frequencyBinCount);
  a.getFloatFrequencyData(bins);
  let best = 0;
  for (let i = 1; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
  if (bins[best] > -80) peak = best * a.context.sampleRate / a.fftSize;
}
const select = document.querySelector('.antenne-audio');
return {
  time: v.currentTime, paused: v.paused, frames: v.getVideoPlaybackQuality().totalVideoFrames,
  tracks: p ? p.audioTracks.map((t) => t.language) : [], track: p ? p.audioTrack : null, peak,
  switches: window.__switches || [], stalls: window.__stalls || 0, state: p ? p.state : null,
  french: performance.getEntriesByType('resource').filter((e) => /\/audio-fra\/[0-9.]+\.m4s/.test(e.name)).length,
  menu: select ? { hidden: select.hidden, options: [...select.options].map((o) => o.textContent), label: select.getAttribute('aria-label') } : null,
};
"""


def near(peak: float | None, language: str) -> bool:
    return peak is not None and abs(peak - TONES[language]) < TONE_TOLERANCE


@pytest.mark.parametrize("query", ["", "?format=dash"])
def test_player_switches_language(antenne, two_languages, driver, query) -> None:
    driver.get(antenne.url(f"/watch/{antenne.channel}{query}"))
    state = wait_for_state(driver, STATE_JS, lambda s: s and s["time"] > 0.5 and not s["paused"] and near(s["peak"], "eng"), START_WITHIN,
                           "playing English")
    assert state["tracks"] == ["en", "fr"] and state["track"] == 0, state
    menu = state["menu"]
    assert menu and not menu["hidden"] and menu["label"] == "Audio language" and menu["options"] == ["English", "French"], menu

    # The keyboard: `a` moves to the next language.
    before = state
    asked = time.monotonic()
    driver.find_element(By.TAG_NAME, "body").send_keys("a")
    state = wait_for_state(driver, STATE_JS, lambda s: s["track"] == 1 and near(s["peak"], "fra"), SWITCH_WITHIN, "playing French")
    print(f"\n{query or 'hls'}: French heard {time.monotonic() - asked:.2f} s after the key")
    assert state["switches"][-1]["language"] == "fr", state
    assert state["time"] > before["time"] and state["frames"] > before["frames"], (before, state)
    # The video went on through the switch: no restart of the stream, no stall.
    assert state["state"] == "playing" and state["stalls"] == before["stalls"], (before, state)

    # The list: back to English.
    before = state
    asked = time.monotonic()
    Select(driver.find_element(By.CSS_SELECTOR, ".antenne-audio")).select_by_index(0)
    state = wait_for_state(driver, STATE_JS, lambda s: s["track"] == 0 and near(s["peak"], "eng"), SWITCH_WITHIN, "English again")
    assert state["stalls"] == before["stalls"], (before, state)
    print(f"{query or 'hls'}: English heard {time.monotonic() - asked:.2f} s after the list; {state['stalls']} stalls in all")
    assert state["time"] > before["time"] and state["frames"] > before["frames"], (before, state)


def test_firefox_switches_language(antenne, two_languages, tmp_path) -> None:
    """The same switch in Firefox ESR (Marionette): the page's own code, run in its window. Headless
    Firefox runs no Web Audio graph here (the analyser hears nothing), so what is checked is the
    switch itself: the French rendition's media fetched and played on, the video going on."""
    if not os.access(FIREFOX, os.X_OK):
        pytest.skip(f"{FIREFOX} not installed")
    pytest.importorskip("marionette_driver")
    state_js = ("const w = window.wrappedJSObject; return JSON.parse(w.eval(" + json.dumps(
        "JSON.stringify((function () {" + STATE_JS + "})())") + "));")
    with marionette(tmp_path) as client:
        client.navigate(antenne.url(f"/watch/{antenne.channel}"))
        state = wait_until(lambda: client.execute_script(state_js), lambda s: s and s["time"] > 0.5 and s["tracks"],
                           START_WITHIN, "Firefox playing")
        assert state["tracks"] == ["en", "fr"] and state["track"] == 0 and state["french"] == 0, state
        client.execute_script("window.wrappedJSObject.eval('antenne.setAudioTrack(1)');")
        before = state
        state = wait_until(lambda: client.execute_script(state_js),
                           lambda s: s["track"] == 1 and s["french"] >= 3 and s["time"] > before["time"] + 2, SWITCH_WITHIN,
                           "Firefox playing French")
        assert state["switches"][-1]["language"] == "fr", state
        assert state["time"] > before["time"] and state["frames"] > before["frames"] and state["stalls"] == before["stalls"], (before, state)


def wait_until(read, predicate, timeout: float, what: str) -> dict:
    deadline = time.monotonic() + timeout
    state = read()
    while not predicate(state):
        assert time.monotonic() < deadline, f"{what}: not within {timeout}s; last state {state}"
        time.sleep(0.2)
        state = read()
    return state
