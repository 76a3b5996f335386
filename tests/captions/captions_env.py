"""A real `antenne serve` with ffmpeg publishing the captioned vector in a loop, for the captions
tests. The binary comes from $ANTENNE_BIN (default: .build/debug/antenne at the repo root)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from antenne_server import AntenneServer, AntenneStartError, antenne_bin, running_antenne  # noqa: E402
from procutil import kill_tree, log_tail, wait_for_status  # noqa: E402

PLAYLIST_TIMEOUT = float(os.environ.get("ANTENNE_PLAYLIST_TIMEOUT", "30"))


def publish_command(vector: Path, server: AntenneServer) -> list[str]:
    """ffmpeg publishing `vector` in real time, looped, without re-encoding: an FLV vector over
    RTMP, an MPEG-TS one over SRT."""
    if vector.suffix == ".ts":
        output = ["-f", "mpegts", f"srt://127.0.0.1:{server.srt_port}?streamid=publish:{server.stream_key}"]
    else:
        output = ["-f", "flv", server.publish_url]
    return ["ffmpeg", "-hide_banner", "-loglevel", "warning", "-nostdin", "-re", "-stream_loop", "-1",
            "-i", str(vector), "-c", "copy", *output]


@contextmanager
def captioned_channel(vector: Path, work: Path, args: Sequence[str] = ()) -> Iterator[AntenneServer]:
    """`antenne serve` with `args`, channel `demo` fed with the vector (see `publish_command`);
    yielded once its multivariant playlist answers."""
    if not os.access(antenne_bin(), os.X_OK):
        pytest.skip(f"antenne binary not found at {antenne_bin()} (build it or set ANTENNE_BIN)")
    try:
        with running_antenne(antenne_bin(), work, args) as server:
            log_path = work / "publisher.log"
            with open(log_path, "wb") as log:
                proc = subprocess.Popen(publish_command(vector, server), stdout=log, stderr=subprocess.STDOUT,
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
