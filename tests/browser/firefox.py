"""Headless Firefox ESR driven over Marionette (marionette-driver from PyPI; no geckodriver).

Firefox runs in its own session with a fresh profile whose prefs pick a free Marionette port,
allow autoplay and turn off everything that would reach the network; it is killed with its whole
process tree when the block ends."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from procutil import free_port, kill_tree

FIREFOX = os.environ.get("FIREFOX_BIN", shutil.which("firefox-esr") or "/usr/bin/firefox-esr")

PREFS = {
    "media.autoplay.default": 0,
    "media.autoplay.blocking_policy": 0,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.aboutwelcome.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    "app.normandy.enabled": False,
    "extensions.update.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "media.gmp-manager.updateEnabled": False,
    "services.settings.server": "http://127.0.0.1:9/",
    "remote.prefs.recommended": True,
}


@contextmanager
def marionette(work: Path) -> Iterator[object]:
    """A started Marionette session on a headless Firefox ESR."""
    from marionette_driver.marionette import Marionette

    profile = work / "firefox-profile"
    profile.mkdir(parents=True, exist_ok=True)
    port = free_port()
    prefs = {**PREFS, "marionette.port": port}
    (profile / "user.js").write_text("".join(
        f"user_pref({_js(k)}, {_js(v)});\n" for k, v in prefs.items()))
    log_path = work / "firefox.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [FIREFOX, "--headless", "--marionette", "--no-remote", "--profile", str(profile)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            env={**os.environ, "MOZ_HEADLESS": "1"})
        client = None
        try:
            client = Marionette(host="127.0.0.1", port=port, startup_timeout=60)
            client.start_session(timeout=60)
            client.timeout.script = 30
            client.timeout.page_load = 30
            yield client
        finally:
            if client is not None:
                try:
                    client.delete_session()
                except Exception:  # Firefox may be gone already; it is killed below either way
                    pass
            kill_tree(proc)


def _js(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def wait_until_playing(client, state_js: str, what: str, timeout: float = 30) -> dict:
    """Polls `state_js` (a script returning the player's state) until the video plays: its time
    moves, it is not paused and it has shown frames. Fails the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    s = client.execute_script(state_js)
    while not (s["currentTime"] > 0 and not s["paused"] and s["frames"] > 0):
        assert time.monotonic() < deadline, f"{what} did not start: {s}"
        time.sleep(0.2)
        s = client.execute_script(state_js)
    return s
