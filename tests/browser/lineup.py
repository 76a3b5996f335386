"""Several live channels at once, for the player tests: one ffmpeg publisher per channel, all
killed with their process trees when the block ends."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from browser_env import PLAYLIST_TIMEOUT, _ACTIVE_LOGS, publisher_command
from procutil import kill_tree, log_tail, wait_for_status


@contextmanager
def publishing(server, channels: dict[str, tuple[str, str]], logs: Path) -> Iterator[dict[str, subprocess.Popen]]:
    """Publishes `channels` ({name: (stream key, picture size)}) into `server`, yielded once every
    channel's multivariant playlist answers 200."""
    procs: dict[str, subprocess.Popen] = {}
    files = []
    try:
        for name, (key, size) in channels.items():
            path = logs / f"publisher-{name}.log"
            log = open(path, "wb")
            files.append(log)
            url = f"rtmp://127.0.0.1:{server.rtmp_port}/live/{key}"
            procs[name] = subprocess.Popen(publisher_command(url, size), stdout=log, stderr=subprocess.STDOUT,
                                           stdin=subprocess.DEVNULL, start_new_session=True)
            _ACTIVE_LOGS[f"publisher {name}"] = path
        for name, proc in procs.items():
            try:
                wait_for_status(server.url(f"/hls/{name}/master.m3u8"), 200, PLAYLIST_TIMEOUT,
                                [proc, server.process], f"{name} master playlist")
            except (RuntimeError, TimeoutError) as exc:
                raise AssertionError(f"{exc}\n--- publisher log ---\n{log_tail(logs / f'publisher-{name}.log')}"
                                     f"\n--- antenne log ---\n{log_tail(server.log_path)}") from exc
        yield procs
    finally:
        for name, proc in procs.items():
            kill_tree(proc)
            _ACTIVE_LOGS.pop(f"publisher {name}", None)
        for log in files:
            log.close()


def stream_key(name: str) -> str:
    return "k" + name + os.urandom(6).hex()
