#!/usr/bin/env python3
"""Soak: an hour of churn against one `antenne serve`, and whether it leaks, errs or stalls.

The server runs with 20 passthrough channels (`--channel`) archived to disk (`--archive`). Then,
for `--duration` seconds (an hour by default):

  publishers  one per channel, in a loop: ffmpeg publishes a pre-encoded 360p30 source (-c copy,
              so publishers cost next to nothing) for 3 to 12 s, disconnects, waits 0.5 to 3 s,
              and publishes again (reconnects: new sessions, discontinuities, archive sessions);
  viewers     `--viewers` threads, each joining a random channel for 10 to 60 s: it follows the
              LL-HLS media playlist with blocking reloads (`_HLS_msn`/`_HLS_part`) and fetches each
              new part, then leaves and joins another;
  slow ones   `--slow` of them read each part in 1 KiB pieces with a pause between (a throttled
              read), and one stops reading a segment half-way for 30 s, as a paused process does.

Every 10 s the script samples the server's RSS (/proc/PID/status VmRSS) and open file
descriptors (/proc/PID/fd). A channel has stalled when the server has counted it live
(`antenne_channel_live` on /metrics) for more than 6 s and the playlist's newest part has not moved
for 6 s: an ffmpeg slow to connect on a loaded machine is not a stall. An error is an HTTP status of 500 or
above, a failed connection, or a server log line at level error or critical. (A 404 for a part of
a session that just ended, and a 503 for a blocking reload whose part never came because the
publisher left, are normal churn; they are counted apart.)

Printed: the RSS and fd slopes per hour over the samples after the warm-up (a least-squares line;
the first 20 % of the run, at least 60 s, is warm-up), their first and last values, publishes,
viewer sessions, requests, 404s, errors and stalled channels. Exit status 0 when there is no error
and no stall; the slopes are for the reader (the goals: under 1 MB/h, flat fds), since a short run
cannot judge them.

  bench/soak.py                                   an hour, 20 channels, 30 viewers
  bench/soak.py --duration 60 --channels 3 --viewers 4 --slow 1     the suite's smoke

See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import control_plane as cp  # noqa: E402
import live_spine as ls  # noqa: E402
from httpclient import Connection, HTTPError  # noqa: E402

SAMPLE_EVERY = 10.0
STALL_AFTER = 6.0  # seconds without a new part while published: three part targets of 0.5 s, doubled
RENDITION = "source"
# A part line of an LL-HLS media playlist, and the playlist's media sequence.
PART = re.compile(rb'#EXT-X-PART:[^\n]*URI="(\d+)\.(\d+)\.m4s"')
LIVE = re.compile(rb'^antenne_channel_live\{channel="([^"]+)"\} 1(?:\.0)?$', re.MULTILINE)


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts = {"publishes": 0, "viewer sessions": 0, "requests": 0, "404s": 0, "reloads timed out": 0, "errors": 0}
        self.error_samples: list[str] = []

    def add(self, name: str, n: int = 1) -> None:
        with self.lock:
            self.counts[name] += n

    def error(self, what: str) -> None:
        with self.lock:
            self.counts["errors"] += 1
            if len(self.error_samples) < 10:
                self.error_samples.append(what)


class Channel:
    """One channel's publisher loop, and what it tells the stall check."""

    def __init__(self, name: str, key: str) -> None:
        self.name, self.key = name, key
        # Since when the server counts the channel live (its /metrics), None while it does not.
        self.live_since: float | None = None
        self.last_part: tuple[int, int] | None = None
        self.last_progress = time.monotonic()
        self.stalls = 0


def publisher_loop(server: cp.Antenne, channel: Channel, source: Path, stop: threading.Event, tally: Tally, rng: random.Random) -> None:
    while not stop.is_set():
        seconds = rng.uniform(3, 12)
        proc = cp.spawn(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1",
                         "-i", str(source), "-t", f"{seconds:.1f}", "-c", "copy", "-f", "flv",
                         f"rtmp://127.0.0.1:{server.rtmp_port}/live/{channel.key}"],
                        server.workdir / f"publisher-{channel.name}.log")
        tally.add("publishes")
        while proc.poll() is None and not stop.is_set():
            time.sleep(0.2)
        ls.kill_tree(proc)
        stop.wait(rng.uniform(0.5, 3))


def parts_in(playlist: bytes) -> list[tuple[int, int]]:
    return [(int(m), int(p)) for m, p in PART.findall(playlist)]


def viewer_loop(server: cp.Antenne, channels: list[Channel], slow: bool, stop: threading.Event, tally: Tally,
                rng: random.Random) -> None:
    while not stop.is_set():
        channel = rng.choice(channels)
        until = time.monotonic() + rng.uniform(10, 60)
        tally.add("viewer sessions")
        conn = Connection("127.0.0.1", server.http_port, timeout=10)
        base = f"/hls/{channel.name}/{RENDITION}/"
        have: tuple[int, int] | None = None
        try:
            while time.monotonic() < until and not stop.is_set():
                path = base + "index.m3u8"
                if have is not None:
                    path += f"?_HLS_msn={have[0]}&_HLS_part={have[1] + 1}"
                response = request(conn, path, tally)
                if response is None or response.status != 200:
                    stop.wait(1)
                    have = None
                    continue
                parts = parts_in(response.body)
                new = [p for p in parts if have is None or p > have][-3:]
                for msn, index in new:
                    if slow:
                        slow_read(server, f"{base}{msn}.{index}.m4s", tally)
                    else:
                        request(conn, f"{base}{msn}.{index}.m4s", tally)
                if parts:
                    have = parts[-1]
                    track_progress(channel, have)
        finally:
            conn.close()


def request(conn: Connection, path: str, tally: Tally):
    tally.add("requests")
    try:
        response = conn.get(path, timeout=10)
    except (OSError, HTTPError) as exc:
        conn.close()
        tally.error(f"GET {path}: {exc!r}")
        return None
    if response.status == 404:
        tally.add("404s")
    elif response.status == 503 and "_HLS_msn=" in path:
        # A blocking reload for a part that never came: the publisher left (RFC 8216bis §6.2.5.2).
        tally.add("reloads timed out")
    elif response.status >= 500:
        tally.error(f"GET {path}: {response.status}")
    return response


def slow_read(server: cp.Antenne, path: str, tally: Tally) -> None:
    """A throttled reader: the request, then the body in 1 KiB pieces, 5 ms apart."""
    tally.add("requests")
    try:
        with socket.create_connection(("127.0.0.1", server.http_port), timeout=10) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n".encode())
            first = sock.recv(1024)
            if first.startswith(b"HTTP/1.1 5"):
                tally.error(f"GET {path}: {first[:12]!r}")
            while sock.recv(1024):
                time.sleep(0.005)
    except OSError as exc:
        tally.error(f"slow GET {path}: {exc!r}")


def paused_reader(server: cp.Antenne, channels: list[Channel], stop: threading.Event, tally: Tally, rng: random.Random) -> None:
    """A process that stops reading half-way through a segment for 30 s, again and again."""
    while not stop.is_set():
        channel = rng.choice(channels)
        conn = Connection("127.0.0.1", server.http_port, timeout=10)
        response = request(conn, f"/hls/{channel.name}/{RENDITION}/index.m3u8", tally)
        conn.close()
        segments = re.findall(rb"^(\d+)\.m4s$", response.body, re.MULTILINE) if response and response.status == 200 else []
        if not segments:
            stop.wait(2)
            continue
        tally.add("requests")
        try:
            with socket.create_connection(("127.0.0.1", server.http_port), timeout=40) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.sendall(f"GET /hls/{channel.name}/{RENDITION}/{segments[-1].decode()}.m4s HTTP/1.1\r\nHost: soak\r\n\r\n".encode())
                sock.recv(2048)
                stop.wait(30)
        except OSError as exc:
            tally.error(f"paused GET: {exc!r}")


def track_progress(channel: Channel, newest: tuple[int, int]) -> None:
    if channel.last_part is None or newest > channel.last_part:
        channel.last_part = newest
        channel.last_progress = time.monotonic()


def watch_channels(server: cp.Antenne, channels: list[Channel], stop: threading.Event, tally: Tally) -> None:
    """The stall check: each channel the server counts live, its playlist once a second."""
    conn = Connection("127.0.0.1", server.http_port, timeout=10)
    stalled: set[str] = set()
    while not stop.wait(1):
        now = time.monotonic()
        metrics = request(conn, "/metrics", tally)
        live = set(LIVE.findall(metrics.body)) if metrics is not None and metrics.status == 200 else set()
        for channel in channels:
            if channel.name.encode() not in live:
                channel.live_since = None
            elif channel.live_since is None:
                channel.live_since = channel.last_progress = now
            since = channel.live_since
            if since is None or now - since < STALL_AFTER:
                stalled.discard(channel.name)
                continue
            response = request(conn, f"/hls/{channel.name}/{RENDITION}/index.m3u8", tally)
            parts = parts_in(response.body) if response is not None and response.status == 200 else []
            if parts:
                track_progress(channel, parts[-1])
            if now - max(channel.last_progress, since) > STALL_AFTER and channel.name not in stalled:
                stalled.add(channel.name)
                channel.stalls += 1
                tally.error(f"{channel.name} stalled: no new part for {STALL_AFTER:.0f} s while published")
    conn.close()


def sample(pid: int) -> tuple[float, int]:
    rss_kb = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("VmRSS:"))
    return rss_kb / 1024, len(os.listdir(f"/proc/{pid}/fd"))


def slope_per_hour(points: list[tuple[float, float]]) -> float | None:
    if len(points) < 3:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return None if var == 0 else sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var * 3600


def server_errors(log: Path) -> list[str]:
    """Lines at level error or critical (swift-log's stream format: `TIME LEVEL LABEL: …`)."""
    if not log.exists():
        return []
    return [line for line in log.read_text(errors="replace").splitlines() if line.split(" ", 2)[1:2] in (["error"], ["critical"])]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=3600, help="seconds of churn (default 3600)")
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--viewers", type=int, default=30, help="viewer threads, slow ones included")
    parser.add_argument("--slow", type=int, default=3, help="how many viewers read slowly (plus one paused reader)")
    parser.add_argument("--antenne-bin", type=Path, default=Path(os.environ.get("ANTENNE_BIN", ls.REPO / ".build/release/antenne")))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    cp.CHILDREN = cp.Children()
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="antenne-soak-"))
    source = cp.make_source()
    channels = [Channel(f"soak-{i:02d}", "soak_" + secrets.token_hex(12)) for i in range(args.channels)]
    server = cp.Antenne(args.antenne_bin.resolve(), workdir, None)
    extra = ["--archive", str(workdir / "archive")] + [a for c in channels for a in ("--channel", f"{c.name}:{c.key}")]
    server.start(extra)
    tally = Tally()
    stop = threading.Event()
    threads = [threading.Thread(target=publisher_loop, args=(server, c, source, stop, tally, random.Random(rng.random())), daemon=True)
               for c in channels]
    threads += [threading.Thread(target=viewer_loop, args=(server, channels, i < args.slow, stop, tally, random.Random(rng.random())),
                                 daemon=True) for i in range(args.viewers)]
    threads.append(threading.Thread(target=paused_reader, args=(server, channels, stop, tally, random.Random(rng.random())), daemon=True))
    threads.append(threading.Thread(target=watch_channels, args=(server, channels, stop, tally), daemon=True))
    for t in threads:
        t.start()

    start = time.monotonic()
    samples: list[tuple[float, float, int]] = []
    while (elapsed := time.monotonic() - start) < args.duration:
        if server.proc.poll() is not None:
            tally.error(f"antenne exited with {server.proc.returncode}")
            break
        rss, fds = sample(server.proc.pid)
        samples.append((elapsed, rss, fds))
        print(f"  {elapsed:7.0f} s  RSS {rss:7.1f} MB  fds {fds:5d}  {tally.counts}", file=sys.stderr, flush=True)
        time.sleep(min(SAMPLE_EVERY, max(0.1, args.duration - elapsed)))
    stop.set()
    for t in threads:
        t.join(timeout=45)
    alive = server.proc.poll() is None
    log_errors = server_errors(server.log)
    for line in log_errors[:10]:
        tally.error("server log: " + line)
    tally.add("errors", max(0, len(log_errors) - 10))
    server.stop()

    warm = max(60.0, 0.2 * args.duration)
    steady = [s for s in samples if s[0] >= warm] or samples
    rss_slope = slope_per_hour([(t, r) for t, r, _ in steady])
    fd_slope = slope_per_hour([(t, f) for t, _, f in steady])
    stalled = [c.name for c in channels if c.stalls]
    fmt = lambda v, f: "n/a" if v is None else format(v, f)  # noqa: E731
    print(f"\nSoak: {args.duration:.0f} s, {args.channels} channels, {args.viewers} viewers ({args.slow} slow, 1 paused), "
          f"archive on disk; slopes over {len(steady)} samples after {warm:.0f} s of warm-up\n")
    print(f"{'figure':<28} {'value':>14}")
    rows = [
        ("RSS first / last (MB)", f"{samples[0][1]:.1f} / {samples[-1][1]:.1f}" if samples else "n/a"),
        ("RSS slope (MB/h)", fmt(rss_slope, "+.2f")),
        ("fds first / last", f"{samples[0][2]} / {samples[-1][2]}" if samples else "n/a"),
        ("fd slope (/h)", fmt(fd_slope, "+.1f")),
    ] + [(name, str(value)) for name, value in tally.counts.items()] + [
        ("stalled channels", ", ".join(stalled) or "none"),
        ("server alive at the end", "yes" if alive else "no"),
    ]
    for name, value in rows:
        print(f"{name:<28} {value:>14}")
    for what in tally.error_samples:
        print(f"  error: {what}")
    passed = tally.counts["errors"] == 0 and not stalled and alive and bool(samples)
    # The server's log, the publishers' and the archive are kept for a look when the run failed.
    if passed:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"  server log, publisher logs and archive kept in {workdir}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
