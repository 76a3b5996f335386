"""Fixtures for end-to-end browser tests against a real `antenne serve`.

The binary comes from $ANTENNE_BIN (default: .build/debug/antenne at the repo root).
Every child process runs in its own session and is killed with its whole tree at
teardown. One Chromium serves the whole run, each test in a fresh tab (`driver`). Logs of
the server, the publisher and chromedriver are written to temp dirs; their tails are attached
to the report of a failing test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import urllib3
from selenium.common.exceptions import WebDriverException

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "support"))

from antenne_server import AntenneServer, AntenneStartError, antenne_bin, running_antenne  # noqa: E402
from player import CHROMEDRIVER, CHROMIUM, browser_console, make_driver  # noqa: E402
from procutil import descendants, kill_tree, log_tail, wait_for_status  # noqa: E402
# In a module of their own, so that test modules import them by a name no other conftest.py shares.
from browser_env import PLAYLIST_TIMEOUT, _ACTIVE_LOGS, fresh_tab, publisher_command  # noqa: E402


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for name, path in list(_ACTIVE_LOGS.items()):
            report.sections.append((f"{name} log tail ({path})", log_tail(path)))


@pytest.fixture(scope="session")
def antenne_path() -> Path:
    path = antenne_bin()
    if not os.access(path, os.X_OK):
        pytest.skip(f"antenne binary not found at {path} (build it or set ANTENNE_BIN)")
    return path


@pytest.fixture(scope="module")
def antenne(antenne_path, tmp_path_factory, request) -> AntenneServer:
    """`antenne serve` on free loopback ports with channel `demo` and a random key,
    ready (GET /readyz == 200) when yielded. A test module can add flags with a
    module-level `ANTENNE_ARGS` list."""
    work = tmp_path_factory.mktemp("antenne")
    args = getattr(request.module, "ANTENNE_ARGS", []) + os.environ.get("ANTENNE_EXTRA_ARGS", "").split()
    _ACTIVE_LOGS["antenne"] = work / "antenne.log"
    try:
        with running_antenne(antenne_path, work, args) as server:
            yield server
    except AntenneStartError as exc:
        pytest.fail(str(exc))
    finally:
        _ACTIVE_LOGS.pop("antenne", None)


@pytest.fixture
def publisher(antenne: AntenneServer, tmp_path, request) -> subprocess.Popen:
    """A live ffmpeg publisher into channel `demo`, yielded once the channel's master
    playlist answers 200 (asked with the module-level `PLAYBACK_QUERY`, if any: a signed
    token for a token channel)."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not installed")
    log_path = tmp_path / "publisher.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen(publisher_command(antenne.publish_url), stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    _ACTIVE_LOGS["publisher"] = log_path
    try:
        try:
            query = getattr(request.module, "PLAYBACK_QUERY", "")
            wait_for_status(antenne.url(f"/hls/{antenne.channel}/master.m3u8{query}"), 200,
                            PLAYLIST_TIMEOUT, [proc, antenne.process], "master playlist")
        except (RuntimeError, TimeoutError) as exc:
            pytest.fail(f"{exc}\n--- publisher log tail ---\n{log_tail(log_path)}"
                        f"\n--- antenne log tail ---\n{log_tail(antenne.log_path)}")
        yield proc
    finally:
        kill_tree(proc)
        log.close()
        _ACTIVE_LOGS.pop("publisher", None)


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    """One headless Chromium for the whole run, started on first use (a launch costs seconds on a
    small machine); started again if a test left it dead. Its whole process tree is gone after
    the run. Tests take it through `driver`, which gives each a fresh tab."""
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not os.access(binary, os.X_OK):
            pytest.skip(f"{binary} not installed")
    work = tmp_path_factory.mktemp("chromium")
    started: list[tuple[object, Path]] = []  # (driver, its chromedriver log), the last one alive

    def current():
        if started and _responds(started[-1][0]):
            return started[-1]
        if started:
            _quit(started[-1][0])
        log_path = work / f"chromedriver-{len(started)}.log"
        started.append((make_driver(log_path), log_path))
        return started[-1]

    try:
        yield current
    finally:
        if started:
            _quit(started[-1][0])


@pytest.fixture
def driver(chromium):
    """Headless Chromium in a tab of its own: a new tab has no session storage and no network
    emulation of an earlier test, and the browser's cache and cookies are cleared. The tab is
    closed after the test, which ends whatever it played."""
    drv, log_path = chromium()
    fresh_tab(drv)
    drv.execute_cdp_cmd("Network.clearBrowserCache", {})
    drv.execute_cdp_cmd("Network.clearBrowserCookies", {})
    browser_console(drv)  # what earlier tests logged is not this test's
    _ACTIVE_LOGS["chromedriver"] = log_path
    try:
        yield drv
    finally:
        _ACTIVE_LOGS.pop("chromedriver", None)
        try:
            drv.get("about:blank")
        except _GONE:  # a browser the test broke is started again for the next
            pass


# What a call to a crashed Chromium or a dead chromedriver raises.
_GONE = (WebDriverException, urllib3.exceptions.HTTPError, OSError)


def _responds(drv) -> bool:
    try:
        drv.window_handles
        return True
    except _GONE:
        return False


def _quit(drv) -> None:
    """Quits the browser and waits for its whole process tree."""
    tree = descendants(drv.service.process.pid)
    try:
        drv.quit()
    except _GONE:  # a dead browser's session is gone already
        pass
    finally:
        _reap(tree)


def _reap(pids: list[int], grace: float = 5.0) -> None:
    """Wait for processes we are not the parent of to exit; SIGKILL stragglers."""
    import signal

    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not any(os.path.exists(f"/proc/{pid}") for pid in pids):
            return
        time.sleep(0.1)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
