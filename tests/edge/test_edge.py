"""Edge mode (issue "Scale out delivery", item 2): `antenne edge --origin URL` relays a channel
that ffmpeg publishes to an origin; ffprobe decodes it from the edge and from an edge of that
edge; with two origins fed by one ffmpeg tee, the edge keeps serving new parts when the first
origin is killed.

The real binary ($ANTENNE_BIN), real ffmpeg and ffprobe.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from antenne_server import READY_TIMEOUT, antenne_bin, running_antenne  # noqa: E402
from procutil import free_port, kill_tree, log_tail, wait_for_status  # noqa: E402
from publisher import publisher  # noqa: E402

# A publisher's channel plays at the origin within this (ffmpeg starts, two segments are cut).
LIVE_TIMEOUT = 60.0
# The edge serves parts again this soon after its origin dies: a few part targets (0.5 s each),
# with room for a machine busy with builds.
FAILOVER_LIMIT = 5.0

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
                                reason="ffmpeg and ffprobe are needed")


@dataclass
class Edge:
    process: subprocess.Popen
    http_port: int
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")


@contextmanager
def running_edge(work: Path, origins: Sequence[str]) -> Iterator[Edge]:
    """`antenne edge` on a free loopback port, pulling from `origins`; ready when yielded."""
    work.mkdir(parents=True, exist_ok=True)
    log_path = work / "edge.log"
    port = free_port()
    cmd = [str(antenne_bin()), "edge", "--host", "127.0.0.1", "--http-port", str(port), "--log-level", "debug"]
    for origin in origins:
        cmd += ["--origin", origin]
    with open(log_path, "wb") as log:
        log.write(("$ " + " ".join(cmd) + "\n").encode())
        log.flush()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=work, start_new_session=True)
        edge = Edge(proc, port, log_path)
        try:
            try:
                wait_for_status(edge.url("/readyz"), 200, READY_TIMEOUT, [proc], "antenne edge /readyz")
            except (RuntimeError, TimeoutError) as exc:
                pytest.fail(f"{exc}\n--- edge log tail ---\n{log_tail(log_path)}")
            yield edge
        finally:
            kill_tree(proc)


def get(url: str, timeout: float = 10.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def ffprobe_streams(url: str) -> list[str]:
    """The codec types ffprobe finds decoding `url`."""
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-rw_timeout", "15000000", "-show_entries", "stream=codec_type", "-of", "csv=p=0", url],
        capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr
    return sorted(set(result.stdout.split()))


def last_part(playlist: str) -> tuple[int, int]:
    """(msn, part index) of the newest part a media playlist lists."""
    parts = re.findall(r'#EXT-X-PART:[^\n]*URI="(\d+)\.(\d+)\.m4s', playlist)
    assert parts, playlist
    return max((int(msn), int(part)) for msn, part in parts)


def test_edge_relays_a_published_channel_and_so_does_an_edge_of_it(tmp_path: Path) -> None:
    with running_antenne(antenne_bin(), tmp_path / "origin") as origin:
        encoder = publisher([origin.publish_url])
        try:
            wait_for_status(origin.url("/hls/demo/master.m3u8"), 200, LIVE_TIMEOUT, [origin.process], "origin master playlist")
            with running_edge(tmp_path / "edge", [origin.base_url]) as edge:
                assert ffprobe_streams(edge.url("/hls/demo/master.m3u8")) == ["audio", "video"], log_tail(edge.log_path)
                # The same bytes as the origin's, part by part.
                playlist = get(edge.url("/hls/demo/source/index.m3u8")).decode()
                msn, part = last_part(playlist)
                file = f"source/{msn}.{part}.m4s"
                assert get(edge.url(f"/hls/demo/{file}")) == get(origin.url(f"/hls/demo/{file}"))
                assert get(edge.url("/hls/demo/source/init.mp4")) == get(origin.url("/hls/demo/source/init.mp4"))
                with running_edge(tmp_path / "lan", [edge.base_url]) as lan:
                    assert ffprobe_streams(lan.url("/hls/demo/master.m3u8")) == ["audio", "video"], log_tail(lan.log_path)
                metrics = get(edge.url("/metrics")).decode()
                assert "antenne_edge_upstream_requests_total" in metrics
                assert get(edge.url("/healthz")).strip() == b"ok"
        finally:
            encoder.kill()
            encoder.wait()


@contextmanager
def edge_of_two_tee_fed_origins(work: Path):
    """Two origins fed by one encoder (a tee), both live, and an edge of both that already pulls
    their channel `demo`. Yields (first, second, edge)."""
    with running_antenne(antenne_bin(), work / "first") as first, \
            running_antenne(antenne_bin(), work / "second") as second:
        encoder = publisher([first.publish_url, second.publish_url])
        try:
            for origin in (first, second):
                wait_for_status(origin.url("/hls/demo/master.m3u8"), 200, LIVE_TIMEOUT, [origin.process], "origin master playlist")
            with running_edge(work / "edge", [first.base_url, second.base_url]) as edge:
                # The edge pulls a channel on its first playback request.
                wait_for_status(edge.url("/hls/demo/master.m3u8"), 200, 20, [edge.process], "edge master playlist")
                yield first, second, edge
        finally:
            encoder.kill()
            encoder.wait()


@pytest.mark.parametrize("failure", ["killed", "hung"])
def test_edge_keeps_serving_when_its_first_origin_dies(failure: str, tmp_path: Path) -> None:
    """`killed`: kill -9, connections refused. `hung`: SIGSTOP, requests left unanswered, so the
    edge's blocking reload is overdue."""
    with edge_of_two_tee_fed_origins(tmp_path) as (first, second, edge):
        try:
            before = last_part(get(edge.url("/hls/demo/source/index.m3u8")).decode())
            os.kill(first.process.pid, signal.SIGKILL if failure == "killed" else signal.SIGSTOP)
            killed = time.monotonic()
            # A blocking reload for the next part at the edge: answered from the second origin.
            newest = before
            while newest <= before:
                assert time.monotonic() - killed < FAILOVER_LIMIT, log_tail(edge.log_path)
                query = f"_HLS_msn={before[0]}&_HLS_part={before[1] + 1}"
                try:
                    newest = last_part(get(edge.url(f"/hls/demo/source/index.m3u8?{query}"), timeout=FAILOVER_LIMIT).decode())
                except OSError:
                    continue
            took = time.monotonic() - killed
            print(f"origin {failure}: the edge served part {newest} {took:.2f} s later (it had {before})")
            # It goes on: two more segments, each part the second origin's bytes.
            deadline = time.monotonic() + 20
            while newest[0] < before[0] + 2:
                assert time.monotonic() < deadline, log_tail(edge.log_path)
                time.sleep(0.2)
                newest = last_part(get(edge.url("/hls/demo/source/index.m3u8")).decode())
            file = f"source/{newest[0]}.{newest[1]}.m4s"
            assert get(edge.url(f"/hls/demo/{file}")) == get(second.url(f"/hls/demo/{file}"))
            assert "pulling from the next one" in edge.log_path.read_text()
        finally:
            if failure == "hung":
                os.kill(first.process.pid, signal.SIGCONT)


def test_chromium_plays_through_an_edge_and_goes_on_when_its_first_origin_dies(tmp_path: Path) -> None:
    """The web player at the edge's /watch page, fed by two tee-fed origins; the first is killed
    while it plays. The picture goes on: no media error, and the playhead keeps moving."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
    from player import browser_console, make_driver, probe_playback  # noqa: E402

    state_js = "const v = document.getElementById('player'); return {t: v.currentTime, error: v.error && v.error.code};"
    with edge_of_two_tee_fed_origins(tmp_path) as (first, _, edge):
        driver = make_driver(tmp_path / "chromedriver.log")
        try:
            before = probe_playback(driver, edge.url("/watch/demo"), watch_seconds=4)
            assert before.started_after is not None and not before.errors, f"{before.describe()}\n{browser_console(driver)}"
            os.kill(first.process.pid, signal.SIGKILL)
            # Whatever is buffered plays out in about a second: 12 s of playing on means the parts
            # kept coming from the second origin.
            after = [driver.execute_script(state_js)]
            for _ in range(12):
                time.sleep(1)
                after.append(driver.execute_script(state_js))
            details = f"{after}\n--- console ---\n{browser_console(driver)}\n--- edge ---\n{log_tail(edge.log_path)}"
            assert all(s["error"] is None for s in after), details
            assert after[-1]["t"] - after[0]["t"] > 9, details
            print(f"\nChromium through an edge: {after[-1]['t'] - after[0]['t']:.1f} s played in the 12 s after the first origin was killed")
        finally:
            driver.quit()
