"""Fixtures of the captions tests: the captioned test vector (built once per run), a real
`antenne serve` with ffmpeg publishing the vector in a loop, and one headless Chromium for the
run, a fresh tab per test.

The binary comes from $ANTENNE_BIN (default: .build/debug/antenne at the repo root)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "support"))
sys.path.insert(0, str(HERE.parent / "browser"))

from antenne_server import AntenneServer, AntenneStartError, antenne_bin, running_antenne  # noqa: E402
from cea608_vector import make_vector  # noqa: E402
from procutil import kill_tree, log_tail, wait_for_status  # noqa: E402

# Seconds of media in the vector; the publisher loops it.
VECTOR_SECONDS = 30
PLAYLIST_TIMEOUT = float(os.environ.get("ANTENNE_PLAYLIST_TIMEOUT", "30"))


@pytest.fixture(scope="session")
def vector(tmp_path_factory) -> Path:
    """The captioned FLV (tests/captions/cea608_vector.py), 640x360p30 with AAC."""
    for tool in ("ffmpeg", "ffprobe"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not installed")
    return make_vector(tmp_path_factory.mktemp("vector") / "captions.flv", VECTOR_SECONDS)


def publish_command(vector: Path, url: str) -> list[str]:
    """ffmpeg publishing `vector` over RTMP in real time, looped, without re-encoding."""
    return ["ffmpeg", "-hide_banner", "-loglevel", "warning", "-nostdin", "-re", "-stream_loop", "-1",
            "-i", str(vector), "-c", "copy", "-f", "flv", url]


@contextmanager
def captioned_channel(vector: Path, work: Path, args: Sequence[str] = ()) -> Iterator[AntenneServer]:
    """`antenne serve` with `args`, channel `demo` fed with the vector; yielded once its
    multivariant playlist answers."""
    if not os.access(antenne_bin(), os.X_OK):
        pytest.skip(f"antenne binary not found at {antenne_bin()} (build it or set ANTENNE_BIN)")
    try:
        with running_antenne(antenne_bin(), work, args) as server:
            log_path = work / "publisher.log"
            with open(log_path, "wb") as log:
                proc = subprocess.Popen(publish_command(vector, server.publish_url), stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
                try:
                    try:
                        wait_for_status(server.url("/hls/demo/master.m3u8"), 200, PLAYLIST_TIMEOUT, [proc, server.process],
                                        "master playlist")
                    except (RuntimeError, TimeoutError) as exc:
                        pytest.fail(f"{exc}\n--- publisher log ---\n{log_tail(log_path)}\n--- antenne log ---\n"
                                    f"{log_tail(server.log_path)}")
                    server.publisher = proc
                    yield server
                finally:
                    kill_tree(proc)
    except AntenneStartError as exc:
        pytest.fail(str(exc))


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
    old = chromium.window_handles
    chromium.switch_to.new_window("tab")
    fresh = chromium.current_window_handle
    for handle in old:
        chromium.switch_to.window(handle)
        chromium.close()
    chromium.switch_to.window(fresh)
    yield chromium
    chromium.get("about:blank")
