"""Fixtures of the captions tests: the captioned test vector (built once per run) and one headless
Chromium for the run, a fresh tab per test. Test modules import helpers from captions_env.py, not
from `conftest`: in a run of several test directories, `conftest` names only one of them."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "support"))
sys.path.insert(0, str(HERE.parent / "browser"))

from browser_env import fresh_tab  # noqa: E402
from cea608_vector import make_vector  # noqa: E402

# Seconds of media in the vector; the publisher loops it.
VECTOR_SECONDS = 30


@pytest.fixture(scope="session")
def vector(tmp_path_factory) -> Path:
    """The captioned FLV (tests/captions/cea608_vector.py), 640x360p30 with AAC."""
    for tool in ("ffmpeg", "ffprobe"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not installed")
    return make_vector(tmp_path_factory.mktemp("vector") / "captions.flv", VECTOR_SECONDS)


@pytest.fixture(scope="session")
def hevc_vector(tmp_path_factory) -> Path:
    """The same captions in HEVC (libx265, prefix SEI), in MPEG-TS for SRT."""
    for tool in ("ffmpeg", "ffprobe"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not installed")
    return make_vector(tmp_path_factory.mktemp("vector") / "captions-hevc.ts", VECTOR_SECONDS, codec="hevc")


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    """One headless Chromium for the run (tests/browser/player.py's `make_driver`: the Debian
    chromium and chromedriver, nothing looked up on the network)."""
    from player import CHROMEDRIVER, CHROMIUM, make_driver

    for binary in (CHROMIUM, CHROMEDRIVER):
        if not os.access(binary, os.X_OK):
            pytest.skip(f"{binary} not installed")
    drv = make_driver(tmp_path_factory.mktemp("chromium") / "chromedriver.log")
    try:
        yield drv
    finally:
        drv.quit()


@pytest.fixture
def driver(chromium):
    """The shared Chromium in a fresh tab, closed after the test."""
    fresh_tab(chromium)
    yield chromium
    chromium.get("about:blank")
