"""A client that watches one live HLS rendition through an input switch, as a player at the live
edge would: it polls the media playlist every `interval` seconds and fetches every segment, part
and init segment the playlist lists, once. It records every answer that is not 200, the media
sequence numbers seen, and when each discontinuity's first part appeared.

Shared by tests/lifecycle/test_failover.py and bench/failover.py.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

# A playlist or media object larger than this is a bug, not a stream (a 60 s window of 0.2 s parts
# lists a few thousand lines).
MAX_BODY = 32 * 1024 * 1024


def get(url: str, timeout: float = 5.0) -> tuple[int | None, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read(MAX_BODY)
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except (urllib.error.URLError, OSError):
        return None, b""


@dataclass
class PlaylistView:
    """What one media playlist says: its media sequence, the numbers of the segments that follow a
    discontinuity, the segments (complete or with parts) and every URI to fetch."""
    media_sequence: int
    discontinuities: list[int]
    numbers: list[int]
    uris: list[str]


def parse(text: str) -> PlaylistView:
    msn = 0
    sequence = 0
    discontinuities: list[int] = []
    numbers: list[int] = []
    uris: list[str] = []
    for line in text.splitlines():
        if line.startswith("#EXT-X-MEDIA-SEQUENCE:"):
            sequence = msn = int(line.split(":", 1)[1])
        elif line == "#EXT-X-DISCONTINUITY":
            discontinuities.append(msn)
        elif line.startswith("#EXT-X-PART:"):
            if not numbers or numbers[-1] != msn:
                numbers.append(msn)
            uris += re.findall(r'URI="([^"]+)"', line)
        elif line.startswith("#EXT-X-MAP:"):
            uris += re.findall(r'URI="([^"]+)"', line)
        elif line and not line.startswith("#"):
            if not numbers or numbers[-1] != msn:
                numbers.append(msn)
            uris.append(line)
            msn += 1
    return PlaylistView(sequence, discontinuities, numbers, uris)


@dataclass
class SwitchSeen:
    """A discontinuity: the segment it opens, and when the client first saw media after it."""
    msn: int
    seen_at: float


@dataclass
class FailoverProbe:
    playlist_url: str
    interval: float = 0.1
    failures: list[tuple[str, int | None]] = field(default_factory=list)
    switches: list[SwitchSeen] = field(default_factory=list)
    fetched: set[str] = field(default_factory=set)
    sequences: list[int] = field(default_factory=list)
    newest: int = -1
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> "FailoverProbe":
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.poll()
            self._stop.wait(self.interval)

    def poll(self) -> None:
        status, body = get(self.playlist_url)
        now = time.monotonic()
        if status != 200:
            self.failures.append((self.playlist_url, status))
            return
        view = parse(body.decode())
        self.sequences.append(view.media_sequence)
        if view.numbers:
            self.newest = max(self.newest, view.numbers[-1])
        known = {s.msn for s in self.switches}
        for msn in view.discontinuities:
            if msn not in known and msn in view.numbers:
                self.switches.append(SwitchSeen(msn, now))
        for uri in view.uris:
            if uri in self.fetched:
                continue
            self.fetched.add(uri)
            status, _ = get(urllib.parse.urljoin(self.playlist_url, uri))
            if status != 200:
                self.failures.append((uri, status))

    def wait_for_switches(self, count: int, timeout: float) -> SwitchSeen | None:
        """The `count`-th discontinuity seen (from 1), waiting at most `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.switches) >= count:
                return self.switches[count - 1]
            time.sleep(0.02)
        return None

    def wait_for_newest(self, msn: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.newest >= msn:
                return True
            time.sleep(0.05)
        return False


def variant_playlist(base: str, timeout: float) -> str:
    """The URL of the first media playlist the channel's multivariant playlist lists."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body = get(f"{base}/master.m3u8")
        if status == 200:
            lines = [line for line in body.decode().splitlines() if line and not line.startswith("#")]
            if lines:
                return urllib.parse.urljoin(f"{base}/master.m3u8", lines[0])
        time.sleep(0.2)
    raise TimeoutError(f"{base}/master.m3u8: no variant after {timeout:.0f}s")
