"""Starting a real `antenne serve` for the Python tests (tests/browser, tests/api).

The binary comes from $ANTENNE_BIN (default: .build/debug/antenne at the repo root). The server
runs in its own session on free loopback ports, logs to a file, and is killed with its whole
process tree when the `running_antenne` block ends.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from procutil import free_port, kill_tree, log_tail, wait_for_status

REPO_ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT = float(os.environ.get("ANTENNE_READY_TIMEOUT", "30"))


def antenne_bin() -> Path:
    path = Path(os.environ.get("ANTENNE_BIN", REPO_ROOT / ".build" / "debug" / "antenne"))
    return path if path.is_absolute() else REPO_ROOT / path


@dataclass
class AntenneServer:
    process: subprocess.Popen
    http_port: int
    rtmp_port: int
    srt_port: int
    data_dir: Path
    log_path: Path
    channel: str
    stream_key: str
    address: str = "127.0.0.1"

    @property
    def base_url(self) -> str:
        return f"http://{self.address}:{self.http_port}"

    @property
    def publish_url(self) -> str:
        return f"rtmp://127.0.0.1:{self.rtmp_port}/live/{self.stream_key}"

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")


class AntenneStartError(RuntimeError):
    """The server exited or never became ready; the message ends with its log tail."""


@contextmanager
def running_antenne(binary: Path, work: Path, args: Sequence[str] = (),
                    env: Mapping[str, str] | None = None, prefix: Sequence[str] = (),
                    address: str = "127.0.0.1") -> Iterator[AntenneServer]:
    """`antenne serve` on free loopback ports with its data directory and log in `work`, channel
    `demo` with a random key, and `args` appended; ready (GET /readyz == 200) when yielded.
    `env` is added to the environment (ANTENNE_ADMIN_TOKEN, for example). `prefix` runs the
    server through another command (`ip netns exec NS`), reached at `address`."""
    data_dir = work / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = work / "antenne.log"
    http_port, rtmp_port, srt_port = free_port(), free_port(), free_port()
    while rtmp_port == http_port:
        rtmp_port = free_port()
    key = "k" + secrets.token_hex(12)
    cmd = [*prefix, str(binary), "serve",
           "--http-port", str(http_port), "--rtmp-port", str(rtmp_port), "--srt-port", str(srt_port),
           "--data-dir", str(data_dir), "--channel", f"demo:{key}", *args]
    with open(log_path, "wb") as log:
        log.write(("$ " + " ".join(cmd) + "\n").encode())
        log.flush()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=work, start_new_session=True, env={**os.environ, **(env or {})})
        server = AntenneServer(proc, http_port, rtmp_port, srt_port, data_dir, log_path, "demo", key, address)
        try:
            try:
                wait_for_status(server.url("/readyz"), 200, READY_TIMEOUT, [proc], "antenne /readyz")
            except (RuntimeError, TimeoutError) as exc:
                raise AntenneStartError(f"{exc}\n--- antenne log tail ---\n{log_tail(log_path)}") from exc
            yield server
        finally:
            kill_tree(proc)
