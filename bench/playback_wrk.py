#!/usr/bin/env python3
"""CPU per playback request, measured with wrk on loopback.

One `antenne serve` with two configured channels, `pub` (public) and `sec` (`--token-channel`),
each fed the live_spine source file in a loop (`ffmpeg -re -stream_loop -1 -c copy`). Once both
are live, each case below runs `wrk` for a few seconds on one URL, and the server's CPU over the
run (the sum of its threads' schedstat, to the nanosecond), less its background rate measured
with no client, is divided by the requests served.

  part, public              the newest part of `pub`, as a player asks for it
  part, public, with a query  the same with `?r=1` (before the one playback path, a query sent
                            a request past the event-loop answer to the Hummingbird routes)
  part, signed              the newest part of `sec` with `?token=`
  index.m3u8, public        `pub`'s media playlist (shared rendering)
  index.m3u8, signed        `sec`'s media playlist with `?token=` (rendered per request)

Usage: ANTENNE_BIN=.build-release/release/antenne python3 bench/playback_wrk.py [--rounds 3]
       python3 bench/playback_wrk.py --bin old/antenne --bin .build/release/antenne   # two builds, alternated
It needs `wrk` and `ffmpeg`. Prints, per case, the medians over rounds of requests/s, p50
latency and CPU µs per request.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from httpclient import Connection, wait_until_ready  # noqa: E402
from live_spine import free_port, kill_tree, make_source, no_srt  # noqa: E402


def cpu_ns(pid: int) -> int:
    """CPU time of every thread of `pid` (schedstat's first field), nanoseconds."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total


def wrk(url: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"requests": requests, "p50_ms": float(p50.group(1)) * scale, "non2xx": int(bad.group(1)) if bad else 0}


def newest_part(conn: Connection, playlist: str) -> str:
    text = conn.get(playlist).body.decode()
    parts = re.findall(r'#EXT-X-PART:[^\n]*URI="([^"?]+)', text)
    if not parts:
        raise RuntimeError(f"no part in {playlist}")
    return parts[-1]


class Server:
    """One `antenne serve` with `pub` and `sec`, each fed the source in a loop."""

    def __init__(self, binary: Path, source: Path, procs: list):
        self.binary = binary
        self.work = Path(tempfile.mkdtemp(prefix="antenne-wrk-"))
        self.http, rtmp = free_port(), free_port()
        key = f"k1:{secrets.token_hex(32)}"
        env = dict(os.environ, ANTENNE_PLAYBACK_KEY=key)
        log = self.work / "antenne.log"
        self.process = subprocess.Popen(
            [str(binary), "serve", "--host", "127.0.0.1", "--http-port", str(self.http), "--rtmp-port", str(rtmp), *no_srt(str(binary)),
             "--data-dir", str(self.work / "data"), "--channel", "pub:pubkey01", "--channel", "sec:seckey01", "--token-channel", "sec"],
            env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(self.process)
        wait_until_ready(self.http, self.process, 30, lambda: log.read_text()[-2000:])
        self.conn = Connection("127.0.0.1", self.http, timeout=2)
        for stream in ("pubkey01", "seckey01"):
            procs.append(subprocess.Popen(
                ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", str(source),
                 "-c", "copy", "-f", "flv", f"rtmp://127.0.0.1:{rtmp}/live/{stream}"], start_new_session=True))
        self.token = subprocess.run([str(binary), "sign-url", "--channel", "sec", "--expires-in", "3600", "--base",
                                     f"http://127.0.0.1:{self.http}"], env=env, capture_output=True, text=True,
                                    check=True).stdout.strip().split("?token=", 1)[1]

    def wait_live(self) -> None:
        deadline = time.monotonic() + 40
        while (self.conn.get("/hls/pub/master.m3u8").status != 200
               or self.conn.get(f"/hls/sec/master.m3u8?token={self.token}").status != 200):
            if time.monotonic() > deadline:
                raise TimeoutError("channels not announced after 40 s")
            time.sleep(0.5)

    def background(self) -> float:
        """Ingest and packaging of two live channels, no client: CPU ns per second."""
        c0, t0 = cpu_ns(self.process.pid), time.monotonic()
        time.sleep(3)
        return (cpu_ns(self.process.pid) - c0) / (time.monotonic() - t0)

    def cases(self) -> list:
        # A part stays downloadable about 10 s: each case looks up the newest one when it starts.
        conn, token = self.conn, self.token
        return [
            ("part, public", lambda: f"/hls/pub/source/{newest_part(conn, '/hls/pub/source/index.m3u8')}"),
            ("part, public, with a query", lambda: f"/hls/pub/source/{newest_part(conn, '/hls/pub/source/index.m3u8')}?r=1"),
            ("part, signed",
             lambda: f"/hls/sec/source/{newest_part(conn, f'/hls/sec/source/index.m3u8?token={token}')}?token={token}"),
            ("index.m3u8, public", lambda: "/hls/pub/source/index.m3u8"),
            ("index.m3u8, signed", lambda: f"/hls/sec/source/index.m3u8?token={token}"),
        ]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", action="append",
                    help="antenne binary; give it twice to compare two builds, measured in alternation "
                         "(default: $ANTENNE_BIN or .build-release/release/antenne)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=5, help="wrk duration per case (a part stays about 10 s)")
    ap.add_argument("--connections", type=int, default=8)
    args = ap.parse_args()
    binaries = [(HERE.parent / b).resolve() for b in (args.bin or [os.environ.get("ANTENNE_BIN", ".build-release/release/antenne")])]
    source = make_source(60)
    procs: list = []
    try:
        servers = [Server(binary, source, procs) for binary in binaries]
        for server in servers:
            server.wait_live()
        backgrounds = [server.background() for server in servers]
        results: dict[tuple[int, str], list[dict]] = {}
        for _ in range(args.rounds):
            for index, server in enumerate(servers):
                base = f"http://127.0.0.1:{server.http}"
                for name, path in server.cases():
                    url = base + path()
                    c0, t0 = cpu_ns(server.process.pid), time.monotonic()
                    r = wrk(url, args.seconds, args.connections)
                    elapsed = time.monotonic() - t0
                    cpu = cpu_ns(server.process.pid) - c0 - backgrounds[index] * elapsed
                    r["rps"] = r["requests"] / elapsed
                    r["cpu_us"] = cpu / max(1, r["requests"]) / 1000
                    results.setdefault((index, name), []).append(r)
        print(f"{args.rounds} rounds of {args.seconds} s per case, wrk -t1 -c{args.connections}; medians")
        print("| build | request | req/s | p50 ms | CPU µs/req | non-2xx |")
        print("|---|---|---|---|---|---|")
        cpu = {}
        for (index, name), rs in results.items():
            med = lambda k: statistics.median(r[k] for r in rs)  # noqa: E731
            cpu[(index, name)] = med("cpu_us")
            print(f"| {binaries[index].parent.parent.name}/{binaries[index].name} #{index} | {name} | {med('rps'):,.0f} | "
                  f"{med('p50_ms'):.2f} | {med('cpu_us'):.1f} | {sum(r['non2xx'] for r in rs)} |")
        for index, background in enumerate(backgrounds):
            ratio = cpu[(index, "index.m3u8, signed")] / cpu[(index, "index.m3u8, public")]
            print(f"#{index}: background {background / 1e7:.1f} % of a core; a signed media playlist costs {ratio:.2f}x a public one")
        if len(servers) == 2:
            for name, _ in servers[0].cases():
                print(f"{name}: #1 costs {cpu[(1, name)] / cpu[(0, name)]:.2f}x #0")
    finally:
        for p in reversed(procs):
            kill_tree(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
