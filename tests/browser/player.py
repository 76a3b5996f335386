"""Headless Chromium (through chromedriver) and a probe of the watch page's <video>."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver")


def make_driver(log_path: Path | None = None, extra_args: tuple[str, ...] = ()) -> webdriver.Chrome:
    """Headless Chromium. Both binaries are given explicitly so that Selenium Manager
    never looks anything up on the network. `extra_args` are added to Chromium's command line."""
    os.environ.setdefault("SE_OFFLINE", "true")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu",
        "--autoplay-policy=no-user-gesture-required", "--mute-audio",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-default-apps", "--disable-extensions",
        "--window-size=1280,800", *extra_args,
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(CHROMEDRIVER, log_output=str(log_path) if log_path else None)
    driver = webdriver.Chrome(service=service, options=opts)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver


_STATE_JS = """
const v = document.getElementById(arguments[0]);
if (!v) return null;
return {
  currentTime: v.currentTime,
  paused: v.paused,
  readyState: v.readyState,
  networkState: v.networkState,
  videoWidth: v.videoWidth,
  videoHeight: v.videoHeight,
  error: v.error ? {code: v.error.code, message: v.error.message} : null,
  src: v.currentSrc,
};
"""

# The test is about playback, not autoplay policy: if the page did not start the
# element, start it muted (what a user click would do).
_KICK_JS = """
const v = document.getElementById(arguments[0]);
if (v && v.paused) { v.muted = true; v.play().catch(() => {}); }
"""


@dataclass
class PlaybackReport:
    samples: list[tuple[float, dict]] = field(default_factory=list)  # (wall seconds, state)
    started_after: float | None = None  # wall seconds from page load to currentTime > 0

    @property
    def first(self) -> dict:
        return self.samples[0][1]

    @property
    def last(self) -> dict:
        return self.samples[-1][1]

    @property
    def wall(self) -> float:
        return self.samples[-1][0] - self.samples[0][0]

    @property
    def advanced(self) -> float:
        return self.last["currentTime"] - self.first["currentTime"]

    @property
    def errors(self) -> list[dict]:
        return [s["error"] for _, s in self.samples if s["error"]]

    def describe(self) -> str:
        rows = [f"started after {self.started_after}s; advanced {self.advanced:.2f}s "
                f"in {self.wall:.2f}s wall"]
        for t, s in self.samples:
            rows.append(f"  t={t:6.2f} cur={s['currentTime']:8.3f} paused={s['paused']} "
                        f"ready={s['readyState']} net={s['networkState']} "
                        f"size={s['videoWidth']}x{s['videoHeight']} err={s['error']}")
        return "\n".join(rows)


def probe_playback(driver, url: str, watch_seconds: float = 20.0, start_timeout: float = 30.0,
                   element_id: str = "player", interval: float = 1.0) -> PlaybackReport:
    """Open `url`, wait until the <video> has started (currentTime > 0), then sample its
    state every `interval` seconds for `watch_seconds` of wall time."""
    driver.get(url)
    report = PlaybackReport()
    t_load = time.monotonic()
    deadline = t_load + start_timeout
    while True:
        state = driver.execute_script(_STATE_JS, element_id)
        if state is None:
            raise AssertionError(f"no element #{element_id} on {url}")
        if state["error"]:
            report.samples.append((time.monotonic() - t_load, state))
            return report
        if state["currentTime"] > 0 and not state["paused"]:
            report.started_after = round(time.monotonic() - t_load, 2)
            break
        if time.monotonic() > deadline:
            report.samples.append((time.monotonic() - t_load, state))
            return report
        driver.execute_script(_KICK_JS, element_id)
        time.sleep(0.25)

    t0 = time.monotonic()
    end = t0 + watch_seconds
    while True:
        now = time.monotonic()
        report.samples.append((now - t0, driver.execute_script(_STATE_JS, element_id)))
        if now >= end:
            break
        time.sleep(min(interval, max(0.0, end - time.monotonic())))
    return report


def browser_console(driver) -> str:
    try:
        return "\n".join(f"{e['level']} {e['message']}" for e in driver.get_log("browser"))
    except Exception as exc:  # the log endpoint is optional in chromedriver
        return f"<no browser log: {exc}>"


def wait_for_state(driver, state_js: str, predicate, timeout: float, what: str, interval: float = 0.1) -> dict:
    """Polls the page's state (`state_js` returns it) until `predicate` holds; fails with the last
    state and the browser console after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    s = driver.execute_script(state_js)
    while not predicate(s):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout}s; last state {s}\n--- console ---\n{browser_console(driver)}")
        time.sleep(interval)
        s = driver.execute_script(state_js)
    return s
