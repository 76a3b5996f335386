"""What the encryption tests share: an encrypted token channel `demo` on a real `antenne serve`
fed by ffmpeg, its playback token, and readers of its playlists' key lines."""

from __future__ import annotations

import base64
import os
import shutil
import hashlib
import hmac
import re
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "support"))
sys.path.insert(0, str(HERE.parent / "browser"))

from antenne_server import AntenneServer, AntenneStartError, antenne_bin, running_antenne  # noqa: E402
from browser_env import publisher_command  # noqa: E402
from player import CHROMEDRIVER, CHROMIUM, make_driver  # noqa: E402
from procutil import descendants, kill_tree, log_tail, wait_for_status  # noqa: E402

PLAYBACK_SECRET = bytes(range(32))
CONTENT_SECRET = bytes(range(100, 132))
# The channel's first playlists and its second key period come within this.
READY_TIMEOUT = 30.0


def sign(channel: str, expires_at: int, secret: bytes = PLAYBACK_SECRET) -> str:
    """A playback token, made from the format the README documents."""
    payload = bytes([1, 2]) + b"k1" + bytes([len(channel)]) + channel.encode() + struct.pack(">q", expires_at) + bytes([0])
    mac = hmac.new(secret, payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(payload + mac).rstrip(b"=").decode()


TOKEN = sign("demo", int(time.time()) + 3600)
QUERY = "?token=" + TOKEN


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def media_playlist(server: AntenneServer, rendition: str = "source") -> str:
    status, _, body = fetch(server.url(f"/hls/demo/{rendition}/index.m3u8" + QUERY))
    assert status == 200, body
    return body.decode()


def key_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#EXT-X-KEY:")]


def attributes(line: str) -> dict[str, str]:
    return {m.group(1): m.group(2).strip('"') for m in re.finditer(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1])}


def two_key_periods(server: AntenneServer) -> bool:
    """Whether the source playlist's window names two keys."""
    return len({attributes(line)["URI"] for line in key_lines(media_playlist(server))}) >= 2


@contextmanager
def encrypted_channel(work: Path, encryption: str, ready: Callable[[AntenneServer], bool] = two_key_periods) -> Iterator[AntenneServer]:
    """`antenne serve` with `demo` a token channel encrypted as `--encrypted-channel demo:{encryption}`,
    published by ffmpeg; yielded once its master playlist answers and `ready` holds (or
    READY_TIMEOUT passed), with `publisher_log` set."""
    binary = antenne_bin()
    if not os.access(binary, os.X_OK):
        pytest.skip(f"antenne binary not found at {binary}")
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not installed")
    args = ["--token-channel", "demo", "--playback-key", "k1:" + PLAYBACK_SECRET.hex(), "--encrypted-channel", f"demo:{encryption}"]
    try:
        with running_antenne(binary, work, args, env={"ANTENNE_CONTENT_KEY_SECRET": CONTENT_SECRET.hex()}) as server:
            log_path = work / "publisher.log"
            with open(log_path, "wb") as log:
                proc = subprocess.Popen(publisher_command(server.publish_url), stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
                try:
                    wait_for_status(server.url("/hls/demo/master.m3u8" + QUERY), 200, READY_TIMEOUT, [proc, server.process],
                                    "master playlist")
                    deadline = time.monotonic() + READY_TIMEOUT
                    while not ready(server) and time.monotonic() < deadline:
                        time.sleep(0.5)
                    server.publisher_log = log_path
                    yield server
                except (RuntimeError, TimeoutError) as exc:
                    pytest.fail(f"{exc}\n--- publisher ---\n{log_tail(log_path)}\n--- antenne ---\n{log_tail(server.log_path)}")
                finally:
                    kill_tree(proc)
    except AntenneStartError as exc:
        pytest.fail(str(exc))


def check_key_url_refuses_bad_tokens(server: AntenneServer, key_uri: str) -> None:
    """The key at `key_uri` (a playlist's `../keys/{period}?token=…`) answers with the token, 401
    without one, 403 with a tampered one or one signed with another secret."""
    path = "/hls/demo/" + key_uri[3:].split("?")[0]
    assert fetch(server.url(path + QUERY))[0] == 200
    assert fetch(server.url(path))[0] == 401
    tampered = TOKEN[:-3] + ("A" if TOKEN[-3] != "A" else "B") + TOKEN[-2:]
    assert fetch(server.url(path + "?token=" + tampered))[0] == 403
    assert fetch(server.url(path + "?token=" + sign("demo", int(time.time()) + 3600, secret=bytes(32))))[0] == 403


@contextmanager
def chromium(log_path: Path) -> Iterator:
    """A headless Chromium driven by chromedriver; it and every process it started are killed
    after the block."""
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not os.access(binary, os.X_OK):
            pytest.skip(f"{binary} not installed")
    driver = make_driver(log_path)
    tree = descendants(driver.service.process.pid)
    try:
        yield driver
    finally:
        tree = tree + descendants(driver.service.process.pid)
        driver.quit()
        for pid in tree:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
