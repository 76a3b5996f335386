"""Crash safety of the archive (issue "Time-shift and replay", item 6): after a `kill -9` of the
server mid-stream and a restart,
- every segment archived up to the last complete one is still listed and decodes;
- the channel resumes when the encoder reconnects, its media sequence still increasing.

The real binary ($ANTENNE_BIN) and real ffmpeg/ffprobe.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from antenne_server import antenne_bin, running_antenne  # noqa: E402
from procutil import log_tail  # noqa: E402
from publisher import publisher  # noqa: E402

# `{msn}_{pdt}_{startDTS}_{duration}_{timescale}_{flags}_{init}.m4s` (Sources/Archive/SegmentRecord.swift)
SEGMENT = re.compile(r"^(\d{10})_(-?\d+)_(-?\d+)_(\d+)_(\d+)_(n|d|g|dg)_([0-9a-f]{16})\.m4s$")


def archived(root: Path, rendition: str) -> list[tuple[int, Path]]:
    """(msn, path) of the rendition's archived segments, by msn."""
    found = []
    for path in (root / "demo" / rendition).glob("*/*/*"):
        match = SEGMENT.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    return sorted(found)


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def media_sequence(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:
        text = response.read().decode()
    match = re.search(r"#EXT-X-MEDIA-SEQUENCE:(\d+)", text)
    assert match, text
    return int(match.group(1))


def test_kill_9_loses_no_completed_segment_and_numbering_goes_on(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    args = ["--archive", str(archive)]

    with running_antenne(antenne_bin(), tmp_path, args) as server:
        encoder = publisher([server.publish_url])
        try:
            wait_until(lambda: len(archived(archive, "source")) >= 4, 60, "four archived segments")
            os.kill(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)
        finally:
            encoder.kill()
            encoder.wait()
        log = log_tail(server.log_path)

    before = {rendition: archived(archive, rendition) for rendition in ("source", "audio")}
    for rendition, segments in before.items():
        numbers = [msn for msn, _ in segments]
        assert numbers == list(range(len(numbers))), f"{rendition}: {numbers}\n{log}"
        # Everything listed decodes: init segment plus every segment, in order.
        init_dir = archive / "demo" / rendition / "init"
        inits = list(init_dir.glob("*.mp4"))
        assert len(inits) == 1, inits
        joined = tmp_path / f"{rendition}.mp4"
        joined.write_bytes(inits[0].read_bytes() + b"".join(path.read_bytes() for _, path in segments))
        probe = subprocess.run(
            ["ffprobe", "-v", "error", "-count_frames", "-show_entries", "stream=codec_name,nb_read_frames",
             "-of", "default=nw=1", str(joined)], capture_output=True, text=True, timeout=60)
        assert probe.returncode == 0 and probe.stderr == "", probe.stderr
        assert "nb_read_frames=" in probe.stdout, probe.stdout
    last_before = max(msn for msn, _ in before["source"])

    # A restart on the same data: partial files of the crash are cleared, nothing listed is lost,
    # and the channel numbers on when the encoder comes back.
    with running_antenne(antenne_bin(), tmp_path / "again", args) as server:
        leftovers = [p for p in archive.rglob(".*.tmp")]
        assert leftovers == [], leftovers
        encoder = publisher([server.publish_url])
        try:
            wait_until(lambda: archived(archive, "source")[-1][0] > last_before + 1, 60, "new archived segments")
            first_live = media_sequence(server.url("hls/demo/source/index.m3u8"))
            assert first_live > last_before, (first_live, last_before, log_tail(server.log_path))
        finally:
            encoder.kill()
            encoder.wait()
        after = archived(archive, "source")
        assert [p for _, p in before["source"]] == [p for msn, p in after if msn <= last_before]
        assert "channel resumes after archived segment" in server.log_path.read_text()
