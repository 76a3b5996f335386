#!/usr/bin/env python3
"""Churn: what one publish leaves behind in the server's memory, in minutes rather than an hour.

One `antenne serve` with `--channels` passthrough channels (archived to disk unless
`--no-archive`), no viewer. One publisher loop per channel: ffmpeg publishes the pre-encoded
360p30 source of the soak (`-c copy`, so publishers cost next to nothing) for `--seconds`,
disconnects, and comes back 0.2 s later, until `--publishes` publishes are done in all.

The server's RSS (/proc/PID/status VmRSS) is sampled after every `--every` publishes. The first
`--warmup` publishes are warm-up (the live windows, the archive queue, the allocator's arenas and
the database fill up to their bounds); the samples after it are cut into `--windows` equal runs of
publishes, each gets a least-squares slope, and the median of those is printed, in kB per 100
publishes, with the segments the packager cut (`antenne_packager_segments_total`) to put a size
on each.

The soak's goal, under 1 MB/h with its 7,300 publishes an hour, is about 14 kB per 100 publishes.

  bench/churn.py                                  4 channels, archive, 800 publishes (~7 min)
  bench/churn.py --no-archive
  bench/churn.py --wrap "heaptrack --raw -o /tmp/antenne-churn"   a heap profile (debug build)

See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shlex
import shutil
import signal
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
from httpclient import Connection  # noqa: E402
from soak import Channel, Tally, server_errors, slope_per_hour, viewer_loop  # noqa: E402

SEGMENTS = re.compile(rb"^antenne_packager_segments_total\{[^}]*\} (\d+)", re.MULTILINE)


class Count:
    def __init__(self, limit: int) -> None:
        self.lock = threading.Lock()
        self.limit, self.started, self.done = limit, 0, 0

    def claim(self) -> bool:
        with self.lock:
            if self.started >= self.limit:
                return False
            self.started += 1
            return True

    def finish(self) -> None:
        with self.lock:
            self.done += 1


def publisher_loop(server: cp.Antenne, name: str, key: str, source: Path, seconds: float, count: Count,
                   stop: threading.Event) -> None:
    while not stop.is_set() and count.claim():
        proc = cp.spawn(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1",
                         "-i", str(source), "-t", f"{seconds:.2f}", "-c", "copy", "-f", "flv",
                         f"rtmp://127.0.0.1:{server.rtmp_port}/live/{key}"],
                        server.workdir / f"publisher-{name}.log")
        while proc.poll() is None and not stop.is_set():
            time.sleep(0.05)
        ls.kill_tree(proc)
        count.finish()
        stop.wait(0.2)


def server_pid(server: cp.Antenne) -> int:
    """The antenne process itself: the one started, or its descendant when it runs under a wrapper."""
    if not server.wrapper:
        return server.proc.pid
    for pid in ls.process_tree(server.proc.pid):
        try:
            if os.path.basename(os.readlink(f"/proc/{pid}/exe")) == server.binary.name:
                return pid
        except OSError:
            continue
    raise RuntimeError("the antenne process was not found under the wrapper")


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+)", status, re.MULTILINE).group(1)) / 1024


def segments_cut(server: cp.Antenne) -> int:
    conn = Connection("127.0.0.1", server.http_port, timeout=10)
    try:
        return sum(int(n) for n in SEGMENTS.findall(conn.get("/metrics").body))
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--channels", type=int, default=4)
    parser.add_argument("--publishes", type=int, default=800, help="publishes in all (default 800)")
    parser.add_argument("--seconds", type=float, default=2.5, help="length of each publish (default 2.5)")
    parser.add_argument("--warmup", type=int, default=200, help="publishes before the slope is measured (default 200)")
    parser.add_argument("--every", type=int, default=10, help="publishes between RSS samples (default 10)")
    parser.add_argument("--windows", type=int, default=3, help="runs of samples the median slope is taken over (default 3)")
    parser.add_argument("--no-archive", action="store_true", help="channels without the disk archive")
    parser.add_argument("--viewers", type=int, default=0,
                        help="LL-HLS viewers (the soak's: blocking reloads, every new part), joining a random channel for 10 to 60 s")
    parser.add_argument("--sigkill", action="store_true",
                        help="end the server with SIGKILL, so that a heap profiler sees what was live rather than what shutdown freed")
    parser.add_argument("--wrap", default="", help='a command the server runs under, e.g. "heaptrack --raw -o FILE"')
    parser.add_argument("--antenne-bin", type=Path, default=Path(os.environ.get("ANTENNE_BIN", ls.REPO / ".build/release/antenne")))
    args = parser.parse_args()

    cp.CHILDREN = cp.Children()
    workdir = Path(tempfile.mkdtemp(prefix="antenne-churn-"))
    source = cp.make_source()
    channels = [(f"churn-{i:02d}", "churn_" + secrets.token_hex(12)) for i in range(args.channels)]
    server = cp.Antenne(args.antenne_bin.resolve(), workdir, None)
    server.wrapper = shlex.split(args.wrap)
    extra = [] if args.no_archive else ["--archive", str(workdir / "archive")]
    extra += [a for name, key in channels for a in ("--channel", f"{name}:{key}")]
    server.start(extra)
    pid = server_pid(server)

    count = Count(args.publishes)
    stop = threading.Event()
    tally = Tally()
    threads = [threading.Thread(target=publisher_loop, args=(server, name, key, source, args.seconds, count, stop), daemon=True)
               for name, key in channels]
    watched = [Channel(name, key) for name, key in channels]
    viewers = [threading.Thread(target=viewer_loop, args=(server, watched, False, stop, tally, random.Random(i)), daemon=True)
               for i in range(args.viewers)]
    start = time.monotonic()
    first_rss = rss_mb(pid)
    for t in threads + viewers:
        t.start()
    samples: list[tuple[int, float]] = []  # (publishes done, RSS MB)
    segments_at_warmup: int | None = None
    next_sample = 0
    while any(t.is_alive() for t in threads):
        if server.proc.poll() is not None:
            print(f"antenne exited with {server.proc.returncode}", file=sys.stderr)
            stop.set()
            break
        done = count.done
        if done >= next_sample:
            rss = rss_mb(pid)
            samples.append((done, rss))
            if segments_at_warmup is None and done >= args.warmup:
                segments_at_warmup = segments_cut(server)
            print(f"  {time.monotonic() - start:6.0f} s  publishes {done:5d}  RSS {rss:7.1f} MB", file=sys.stderr, flush=True)
            next_sample = done + args.every
        time.sleep(0.2)
    stop.set()
    for t in threads + viewers:
        t.join(timeout=30)
    time.sleep(3)  # the last sessions end, the archive writes what is queued
    alive = server.proc.poll() is None
    last_rss = rss_mb(pid) if alive else float("nan")
    segments = segments_cut(server) if alive else 0
    errors = server_errors(server.log)
    if args.sigkill and alive:
        os.kill(pid, signal.SIGKILL)
        time.sleep(2)  # the profiler writes what it has
    server.stop()

    steady = [s for s in samples if s[0] >= args.warmup]
    size = max(3, len(steady) // max(1, args.windows))
    windows = [steady[i:i + size] for i in range(0, len(steady) - size + 1, size)]
    # slope_per_hour fits against x; here x is publishes, so /3600 * 100 is per 100 publishes.
    slopes = [s * 1024 / 36 for s in (slope_per_hour(w) for w in windows) if s is not None]
    whole = slope_per_hour(steady)
    steady_publishes = steady[-1][0] - steady[0][0] if len(steady) > 1 else 0
    steady_segments = segments - (segments_at_warmup or 0)
    per_segment = None
    if whole is not None and steady_segments > 0 and steady_publishes > 0:
        per_segment = whole * 1024 / 3600 * steady_publishes / steady_segments
    fmt = lambda v, f: "n/a" if v is None else format(v, f)  # noqa: E731

    print(f"\nChurn: {args.channels} channels, {'no archive' if args.no_archive else 'archive on disk'}, "
          f"publishes of {args.seconds:g} s, {args.viewers} viewers, {count.done} publishes in {time.monotonic() - start:.0f} s, "
          f"{args.antenne_bin}{' under ' + args.wrap if args.wrap else ''}\n")
    rows = [
        ("RSS at start / end (MB)", f"{first_rss:.1f} / {last_rss:.1f}"),
        ("segments cut", f"{segments} ({steady_segments} after warm-up)"),
        ("slope per window (kB/100 publishes)", ", ".join(f"{s:+.0f}" for s in slopes) or "n/a"),
        ("median slope (kB/100 publishes)", fmt(statistics.median(slopes) if slopes else None, "+.0f")),
        ("slope after warm-up (kB/publish)", fmt(None if whole is None else whole * 1024 / 3600, "+.2f")),
        ("slope after warm-up (kB/segment)", fmt(per_segment, "+.2f")),
        ("viewer requests (404s, errors)", f"{tally.counts['requests']} ({tally.counts['404s']}, {tally.counts['errors']})"),
        ("server log errors", str(len(errors))),
        ("server alive at the end", "yes" if alive else "no"),
    ]
    for name, value in rows:
        print(f"{name:<38} {value:>24}")
    for line in errors[:5]:
        print(f"  error: {line}")
    if alive and not errors:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"  server log and publisher logs kept in {workdir}")
    return 0 if alive and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
