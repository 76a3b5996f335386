"""Shutdown (issue "One shape for what comes next", item 11): SIGINT and SIGTERM stop
`antenne serve --with-test-source` and every process it started within 5 s, with one log line
that says why; after a `kill -9` of the server no ffmpeg it started is left running.

The real binary ($ANTENNE_BIN); the test source and the transcoder are real ffmpeg processes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from antenne_server import antenne_bin, running_antenne  # noqa: E402
from procutil import _alive, descendants, log_tail, wait_for_status  # noqa: E402

# The bound: the process and all its children are gone within this.
STOP_LIMIT = 5.0
# The test source publishes, the channel goes live and its transcoder starts within this.
LIVE_TIMEOUT = 60.0


def start_and_wait_live(server) -> list[int]:
    """Waits until the demo channel plays (so the test source and the transcoder run) and returns
    the server's descendants, ffmpeg among them."""
    wait_for_status(server.url("/hls/demo/master.m3u8"), 200, LIVE_TIMEOUT, [server.process], "demo master playlist")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        children = descendants(server.process.pid)
        names = [comm(pid) for pid in children]
        # The test source's ffmpeg and the channel's transcoder.
        if names.count("ffmpeg") >= 2:
            return children
        time.sleep(0.2)
    raise AssertionError(f"expected two ffmpeg children, found {names}\n{log_tail(server.log_path)}")


def comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def gone_within(pids: list[int], seconds: float) -> list[int]:
    """Waits up to `seconds` for every pid to be gone; returns those still alive."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if _alive(pid)]
        if not alive:
            return []
        time.sleep(0.05)
    return [pid for pid in pids if _alive(pid)]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_the_server_and_its_children(sig: signal.Signals, tmp_path: Path) -> None:
    with running_antenne(antenne_bin(), tmp_path, ["--with-test-source", "--ladder", "mobile"]) as server:
        children = start_and_wait_live(server)
        sent = time.monotonic()
        server.process.send_signal(sig)
        try:
            server.process.wait(timeout=STOP_LIMIT)
        except Exception:
            pytest.fail(f"antenne still runs {STOP_LIMIT} s after {sig.name}\n{log_tail(server.log_path)}")
        left = gone_within(children, max(0.0, STOP_LIMIT - (time.monotonic() - sent)))
        took = time.monotonic() - sent
        print(f"{sig.name}: stopped with its children in {took:.2f} s")
        assert not left, f"children left after {sig.name}: {[(pid, comm(pid)) for pid in left]}"
        log = server.log_path.read_text()
        assert f"Antenne is stopping: {sig.name} received" in log, log_tail(server.log_path)
        assert "Antenne has stopped" in log, log_tail(server.log_path)


def test_no_ffmpeg_outlives_a_killed_server(tmp_path: Path) -> None:
    with running_antenne(antenne_bin(), tmp_path, ["--with-test-source", "--ladder", "mobile"]) as server:
        children = start_and_wait_live(server)
        ffmpegs = [pid for pid in children if comm(pid) == "ffmpeg"]
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=5)
        left = gone_within(ffmpegs, STOP_LIMIT)
        assert not left, f"orphaned ffmpeg after kill -9: {left}"


DRAIN_GRACE = 3.0


def test_sigterm_drains_before_it_stops(tmp_path: Path) -> None:
    """With --drain-grace, SIGTERM turns /readyz to 503 and refuses new publishes at once, serves
    the live channel through the grace, then stops within the usual bound after it."""
    spare_key = "spare" + os.urandom(8).hex()
    args = ["--with-test-source", "--drain-grace", str(DRAIN_GRACE), "--channel", f"spare:{spare_key}"]
    with running_antenne(antenne_bin(), tmp_path, args) as server:
        wait_for_status(server.url("/hls/demo/master.m3u8"), 200, LIVE_TIMEOUT, [server.process], "demo master playlist")
        sent = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        wait_for_status(server.url("/readyz"), 503, 1.0, [server.process], "/readyz during the drain")
        # Viewers go on being served during the grace.
        wait_for_status(server.url("/hls/demo/master.m3u8"), 200, 1.0, [server.process], "the playlist during the drain")
        # A new publish is refused, with a line that says why.
        publish = subprocess.run(
            ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30",
             "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-f", "flv", f"{server.publish_url.rsplit('/', 1)[0]}/{spare_key}"],
            capture_output=True, text=True, timeout=DRAIN_GRACE + 10)
        assert publish.returncode != 0, "a publish was let in while the server drained"
        try:
            server.process.wait(timeout=DRAIN_GRACE + STOP_LIMIT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"antenne still runs {DRAIN_GRACE + STOP_LIMIT} s after SIGTERM with a {DRAIN_GRACE} s grace\n"
                        f"{log_tail(server.log_path)}")
        took = time.monotonic() - sent
        print(f"SIGTERM with a {DRAIN_GRACE} s drain grace: stopped in {took:.2f} s")
        assert took >= DRAIN_GRACE - 0.5, f"stopped after {took:.2f} s, before the {DRAIN_GRACE} s grace was over"
        log = server.log_path.read_text()
        assert "RTMP publish refused: the server is stopping" in log, log_tail(server.log_path)
        assert "draining: /readyz answers 503" in log, log_tail(server.log_path)
        assert "Antenne has stopped" in log, log_tail(server.log_path)
