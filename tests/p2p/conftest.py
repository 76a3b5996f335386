"""Fixtures for the P2P tests: the browser tests' server and publisher fixtures (tests/browser's
conftest, loaded here under another name), and Chromium instances that may open WebRTC
connections to each other on loopback."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "browser"))
sys.path.insert(0, str(HERE.parent / "support"))

_spec = importlib.util.spec_from_file_location("browser_conftest", HERE.parent / "browser" / "conftest.py")
browser_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(browser_conftest)

# The same fixtures as tests/browser: `antenne` (with the module's ANTENNE_ARGS) and `publisher`.
antenne_path = browser_conftest.antenne_path
antenne = browser_conftest.antenne
publisher = browser_conftest.publisher
pytest_runtest_makereport = browser_conftest.pytest_runtest_makereport

from player import CHROMEDRIVER, CHROMIUM, make_driver  # noqa: E402
from procutil import descendants  # noqa: E402

# Headless Chromium hides host candidates behind mDNS names and gathers none on loopback:
# both are turned off so that instances on one machine reach each other over 127.0.0.1.
WEBRTC_ARGS = ("--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns")


@pytest.fixture
def browsers(tmp_path):
    """A factory of headless Chromium instances (`browsers(*extra_chromium_args)`), each quit, with its process
    tree, at teardown; `browsers.kill(driver)` ends one at once, as a viewer's machine dying."""
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not os.access(binary, os.X_OK):
            pytest.skip(f"{binary} not installed")
    made: list = []

    def make(*extra_args: str):
        log_path = tmp_path / f"chromedriver-{len(made)}.log"
        drv = make_driver(log_path, WEBRTC_ARGS + extra_args)
        made.append(drv)
        return drv

    def kill(drv):
        import signal
        for pid in descendants(drv.service.process.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    make.kill = kill
    try:
        yield make
    finally:
        for drv in made:
            tree = descendants(drv.service.process.pid)
            try:
                drv.quit()
            except Exception:  # a killed browser's session is gone already
                pass
            browser_conftest._reap(tree)
