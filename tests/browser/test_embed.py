"""The embed (`/embed/{channel}`) in Chromium: inside an <iframe> of another origin it plays and
shows its branding (the title as text, never markup), its controls have accessible names, and
the keyboard plays, pauses, seeks back and goes live; bad branding is refused with its reason."""

from __future__ import annotations

import time
import urllib.parse
import urllib.request
from urllib.error import HTTPError

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from player import browser_console

TITLE = "Hall <b>A</b> & \"keynote\""

STATE_JS = """
const v = document.getElementById('player');
if (!v) return null;
const q = v.getVideoPlaybackQuality();
const h = document.getElementById('title');
return {
  currentTime: v.currentTime, paused: v.paused, frames: q.totalVideoFrames, error: v.error ? v.error.code : null,
  title: h ? h.textContent : null, markup: h ? h.children.length : null,
  logo: document.querySelector('.logo') ? document.querySelector('.logo').getAttribute('src') : null,
  accent: getComputedStyle(document.documentElement).getPropertyValue('--antenne-accent').trim(),
  labels: [...document.querySelectorAll('.antenne-controls button, .antenne-controls input')].map(e => e.getAttribute('aria-label')),
  rail: document.getElementById('channels') !== null,
  latency: window.antenne ? window.antenne.latency : null,
};
"""


def wait_for(driver, predicate, timeout: float, what: str) -> dict:
    deadline = time.monotonic() + timeout
    s = driver.execute_script(STATE_JS)
    while s is None or not predicate(s):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout}s; last state {s}\n--- console ---\n{browser_console(driver)}")
        time.sleep(0.2)
        s = driver.execute_script(STATE_JS)
    return s


def test_the_embed_plays_in_an_iframe_with_its_branding(antenne, publisher, driver):
    query = urllib.parse.urlencode({"title": TITLE, "accent": "#ff8800", "logo": "/hls/demo/thumbnail.jpg"},
                                   quote_via=urllib.parse.quote)
    # Another origin frames it, as a customer's site would: the page is on 127.0.0.1, the embed
    # on localhost.
    src = f"http://localhost:{antenne.http_port}/embed/demo?{query}"
    driver.get(antenne.url("/healthz"))
    driver.execute_script("""
      const f = document.createElement('iframe');
      Object.assign(f, {id: 'tv', src: arguments[0], width: 640, height: 360});
      f.allow = 'autoplay; fullscreen';
      document.body.append(f);""", src)
    driver.switch_to.frame(driver.find_element(By.ID, "tv"))
    s = wait_for(driver, lambda s: s["frames"] > 0 and not s["paused"] and s["currentTime"] > 0, 30, "embed playback")
    assert s["title"] == TITLE and s["markup"] == 0, s
    assert s["logo"] == "/hls/demo/thumbnail.jpg" and s["accent"] == "#ff8800", s
    assert not s["rail"], s
    time.sleep(2)
    later = driver.execute_script(STATE_JS)
    # The controls follow the player every 250 ms: playing, the button says it pauses.
    assert set(later["labels"]) >= {"Pause", "Position", "Back to live", "Full screen"}, later
    assert later["currentTime"] > s["currentTime"] and later["frames"] > s["frames"], f"{s}\n{later}"

    # The keyboard: space pauses and plays again, `l` goes live.
    driver.find_element(By.TAG_NAME, "body").click()
    ActionChains(driver).send_keys(" ").perform()
    paused = wait_for(driver, lambda s: s["paused"] and "Play" in s["labels"], 5, "paused by the space bar")
    assert "Pause" not in paused["labels"], paused
    time.sleep(2)
    ActionChains(driver).send_keys("l").perform()
    wait_for(driver, lambda s: not s["paused"] and s["latency"] is not None and s["latency"] < 3, 15, "live again with l")
    # ArrowLeft seeks 10 s back (as far as the window reaches), `l` comes back.
    time.sleep(3)
    ActionChains(driver).send_keys(Keys.ARROW_LEFT).perform()
    wait_for(driver, lambda s: s["latency"] is not None and s["latency"] > 5 and not s["paused"], 10, "10 s back with ArrowLeft")
    ActionChains(driver).send_keys("l").perform()
    wait_for(driver, lambda s: s["latency"] is not None and s["latency"] < 3, 15, "live again with l")


@pytest.mark.parametrize("query", ["accent=red", "accent=%23fff%3B%7D", "logo=javascript:alert(1)", "poster=//evil.example/p.jpg"])
def test_bad_branding_is_refused(antenne, query):
    with pytest.raises(HTTPError) as error:
        urllib.request.urlopen(antenne.url(f"/embed/demo?{query}"), timeout=10)
    assert error.value.code == 400
    assert error.value.read().decode().split()[0] in {"accent", "logo", "poster"}
