"""Process helpers shared by the Python tests: free ports, readiness polling and
tree-wide teardown so that no child process outlives a test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log_tail(path: Path, lines: int = 60) -> str:
    try:
        data = path.read_text(errors="replace").splitlines()
    except OSError as exc:
        return f"<cannot read {path}: {exc}>"
    return "\n".join(data[-lines:])


def http_status(url: str, timeout: float = 2.0) -> int | None:
    """Status code of a GET, or None when the server cannot be reached.
    Redirects are not followed, so a 3xx is reported as such."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as resp:
            resp.read()
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return None


def wait_for_status(url: str, want: int, timeout: float, procs: list[subprocess.Popen] = (),
                    what: str = "") -> None:
    """Poll `url` until it answers `want`. Fails early if one of `procs` exits."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        for p in procs:
            if p.poll() is not None:
                raise RuntimeError(f"{what or url}: process {p.args[0]} exited with {p.returncode} "
                                   f"while waiting (last status {last})")
        last = http_status(url)
        if last == want:
            return
        time.sleep(0.1)
    raise TimeoutError(f"{what or url}: no {want} after {timeout:.0f}s (last status {last})")


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def descendants(pid: int) -> list[int]:
    children = _children_map()
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def kill_tree(proc: subprocess.Popen, grace: float = 5.0) -> None:
    """SIGTERM the process, its process group and every descendant (even ones that
    moved to another group), wait up to `grace` seconds, then SIGKILL what is left."""
    if proc.poll() is None:
        pids = [proc.pid] + descendants(proc.pid)
    else:
        pids = []

    def signal_all(sig: int) -> None:
        try:
            os.killpg(proc.pid, sig)  # started with start_new_session=True
        except (ProcessLookupError, PermissionError):
            pass
        for pid in pids:
            try:
                os.kill(pid, sig)
            except (ProcessLookupError, PermissionError):
                pass

    signal_all(signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass
    # Descendants re-parented to init are not waited for by us; give them the same grace.
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids[1:]):
        time.sleep(0.05)
    signal_all(signal.SIGKILL)
    if proc.poll() is None:
        proc.wait(timeout=grace)


def sigkill(proc: subprocess.Popen) -> None:
    """SIGKILL the process group at once, as a crash or a pulled cable would end it, and reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # started with start_new_session=True
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait(timeout=10)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except OSError:
        return False
