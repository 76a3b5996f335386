#!/usr/bin/env python3
"""What DASH adds to a channel's delivery (issue 18, benchmark): the server's CPU with N HLS
viewers alone, against the same N HLS viewers plus N DASH viewers, over the same time. DASH is one
more manifest over the same segments, so the goal is under 5 % more; the table also shows 2N HLS
viewers, the same audience all on HLS, to tell what the DASH manifests themselves cost.

  HLS viewer    reloads the video and audio media playlists every part target (0.5 s, their
                max-age is 1 s) and fetches every new segment of each.
  DASH viewer   reloads the MPD every minimumUpdatePeriod (2 s) and fetches every new segment of
                each Representation it plays (the highest video, the audio).

Phases alternate within each round (HLS; HLS + DASH; 2N HLS), each `--seconds` long; the server's
own CPU (its threads' schedstat, without the FFmpeg children) is read around each.

Usage:
  ANTENNE_BIN=.build/release/antenne python3 bench/dash.py                 # 20 viewers, 3 rounds of 10 s
  python3 bench/dash.py --viewers 50 --rounds 5 --seconds 15
Needs ffmpeg. Only loopback addresses are used; everything started is stopped on exit. The machine
is noisy: read medians and ratios.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "support"))
sys.path.insert(0, str(HERE))

from antenne_server import antenne_bin, running_antenne  # noqa: E402
from httpclient import Connection  # noqa: E402
from playback_wrk import cpu_ns as server_cpu_ns  # noqa: E402
from publisher import publisher  # noqa: E402

NS = {"d": "urn:mpeg:dash:schema:mpd:2011"}
SEGMENT = re.compile(r"^(\d+)\.m4s$", re.M)


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.errors = 0

    def add(self, ok: bool) -> None:
        with self.lock:
            self.requests += 1
            self.errors += 0 if ok else 1


def hls_viewer(port: int, stop: threading.Event, tally: Tally) -> None:
    connection = Connection("127.0.0.1", port)
    seen: dict[str, int] = {}
    while not stop.is_set():
        for rendition in ("source", "audio"):
            try:
                playlist = connection.get(f"/hls/demo/{rendition}/index.m3u8")
                tally.add(playlist.status == 200)
                numbers = [int(n) for n in SEGMENT.findall(playlist.body.decode())]
                for msn in numbers:
                    if msn > seen.get(rendition, numbers[-1] - 1):
                        tally.add(connection.get(f"/hls/demo/{rendition}/{msn}.m4s").status == 200)
                if numbers:
                    seen[rendition] = numbers[-1]
            except Exception:  # noqa: BLE001 - counted; the viewer goes on
                tally.add(False)
                connection.close()
        stop.wait(0.5)
    connection.close()


def dash_viewer(port: int, stop: threading.Event, tally: Tally) -> None:
    connection = Connection("127.0.0.1", port)
    seen: dict[str, int] = {}
    while not stop.is_set():
        try:
            mpd = connection.get("/dash/demo/manifest.mpd")
            tally.add(mpd.status == 200)
            root = ET.fromstring(mpd.body)
            period = root.findall("d:Period", NS)[-1]
            for adaptation in period.findall("d:AdaptationSet", NS):
                representation = max(adaptation.findall("d:Representation", NS), key=lambda r: int(r.get("bandwidth")))
                template = representation.find("d:SegmentTemplate", NS)
                count = sum(int(s.get("r", "0")) + 1 for s in template.findall("d:SegmentTimeline/d:S", NS))
                last = int(template.get("startNumber")) + count - 1
                name = representation.get("id")
                for msn in range(seen.get(name, last - 1) + 1, last + 1):
                    path = template.get("media").replace("$Number$", str(msn)).replace("../..", "")
                    tally.add(connection.get(path).status == 200)
                seen[name] = last
        except Exception:  # noqa: BLE001 - counted; the viewer goes on
            tally.add(False)
            connection.close()
        stop.wait(2.0)
    connection.close()


def phase(pid: int, port: int, hls: int, dash: int, seconds: float) -> tuple[float, Tally]:
    """Server CPU seconds while `hls` and `dash` viewers watch for `seconds`."""
    stop = threading.Event()
    tally = Tally()
    threads = [threading.Thread(target=hls_viewer, args=(port, stop, tally), daemon=True) for _ in range(hls)]
    threads += [threading.Thread(target=dash_viewer, args=(port, stop, tally), daemon=True) for _ in range(dash)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # every viewer has made its first requests
    before = server_cpu_ns(pid)
    time.sleep(seconds)
    used = (server_cpu_ns(pid) - before) / 1e9
    stop.set()
    for thread in threads:
        thread.join(5)
    return used, tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--viewers", type=int, default=20, help="N: HLS viewers, and DASH viewers added to them")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    args = parser.parse_args()
    n = args.viewers
    phases = [("HLS", n, 0), ("HLS + DASH", n, n), ("2N HLS", 2 * n, 0)]
    with tempfile.TemporaryDirectory(prefix="antenne-dash-bench-") as work, \
            running_antenne(antenne_bin(), Path(work)) as server:
        encoder = publisher([server.publish_url], size="640x360")
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(server.url("/dash/demo/manifest.mpd"), timeout=5) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("the channel did not go live")
                time.sleep(0.5)
            time.sleep(4)
            results: dict[str, list[float]] = {name: [] for name, _, _ in phases}
            errors = {name: 0 for name, _, _ in phases}
            requests = {name: 0 for name, _, _ in phases}
            for round_index in range(args.rounds):
                for name, hls, dash in phases:
                    used, tally = phase(server.process.pid, server.http_port, hls, dash, args.seconds)
                    results[name].append(used)
                    errors[name] += tally.errors
                    requests[name] += tally.requests
                    print(f"round {round_index + 1} {name:>11}: {used:6.2f} s CPU, {tally.requests} requests, {tally.errors} errors",
                          file=sys.stderr)
        finally:
            encoder.kill()
            encoder.wait()
    base = statistics.median(results["HLS"])
    print(f"\nServer CPU over {args.seconds:g} s, {n} viewers per kind, median of {args.rounds} rounds\n")
    print(f"| {'viewers':<12} | {'CPU s (median)':>14} | {'ratio to HLS':>12} | {'requests':>8} | {'errors':>6} |")
    print(f"|{'-' * 14}|{'-' * 16}|{'-' * 14}|{'-' * 10}|{'-' * 8}|")
    for name, _, _ in phases:
        median = statistics.median(results[name])
        print(f"| {name:<12} | {median:>14.2f} | {median / base:>12.3f} | {requests[name] // args.rounds:>8} | {errors[name]:>6} |")
    mixed, doubled = statistics.median(results["HLS + DASH"]), statistics.median(results["2N HLS"])
    print(f"\nHLS + DASH against HLS alone: {100 * (mixed / base - 1):+.1f} % (goal: under +5 %)")
    print(f"HLS + DASH against the same audience on HLS: {100 * (mixed / doubled - 1):+.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
