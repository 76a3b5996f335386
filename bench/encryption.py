#!/usr/bin/env python3
"""What encryption costs the server (issue 18, benchmark: "Encryption's CPU per rendition,
against the clear stream"): HLS AES-128 and common encryption `cbcs`.

One `antenne serve` runs three passthrough channels fed by the same source (one encoder, a tee):
`clear`; `sealed`, encrypted with AES-128; and `cbcs`, with common encryption `cbcs`; both with a
new key every 2 segments. In each round the same number
of simulated LL-HLS viewers (each: a blocking reload for the preload hint, then the part; the
encrypted ones fetch each key once) watch one channel's video rendition, then the other's, for
the same time; the server's CPU is measured over each, less what it uses with no viewer. An
object is encrypted once however many viewers ask for it, so the difference is the cost of
encrypting one rendition's parts (and, when asked, its segments) once, plus the key requests.

Usage:
  ANTENNE_BIN=.build/release/antenne python3 bench/encryption.py
  python3 bench/encryption.py --viewers 20 --rounds 5 --watch 10 --segments
Only loopback addresses are used; everything started is stopped on exit. Read medians and the
ratio, not single figures: the machine is shared.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "support"))

from delivery import HINT, cpu_ns, make_source  # noqa: E402
from procutil import free_port, kill_tree, wait_for_status  # noqa: E402

KEY = re.compile(r'#EXT-X-KEY:METHOD=(?:AES-128|SAMPLE-AES),URI="([^"]+)"')
CHANNELS = ("clear", "sealed", "cbcs")
SECRET = "ab" * 32


def viewer(port: int, channel: str, segments: bool, stop: threading.Event, served: list[int]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    base = f"/hls/{channel}/source/"
    keys: set[str] = set()
    count = 0

    def get(path: str) -> tuple[int, bytes]:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()

    try:
        status, body = get(base + "index.m3u8")
        last_segment = None
        while not stop.is_set() and status == 200:
            text = body.decode()
            for uri in KEY.findall(text):
                if uri not in keys:
                    keys.add(uri)
                    get(f"/hls/{channel}/" + uri.removeprefix("../"))
            found = HINT.search(text)
            msn, part = int(found.group(1)), int(found.group(2))
            status, body = get(f"{base}index.m3u8?_HLS_msn={msn}&_HLS_part={part}")
            if status != 200:
                break
            if get(f"{base}{msn}.{part}.m4s")[0] == 200:
                count += 1
            if segments and last_segment is not None and msn > last_segment:
                count += get(f"{base}{last_segment}.m4s")[0] == 200
            last_segment = msn
    except OSError:
        pass
    finally:
        connection.close()
        served.append(count)


def measure(pid: int, port: int, channel: str, viewers: int, seconds: float, segments: bool) -> tuple[float, int]:
    """CPU ns per second of the server while `viewers` watch `channel`, and the objects served."""
    stop = threading.Event()
    served: list[int] = []
    threads = [threading.Thread(target=viewer, args=(port, channel, segments, stop, served), daemon=True) for _ in range(viewers)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)  # in step at the live edge
    c0, t0 = cpu_ns(pid), time.monotonic()
    time.sleep(seconds)
    used, elapsed = cpu_ns(pid) - c0, time.monotonic() - t0
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    return used / elapsed, sum(served)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--viewers", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--watch", type=float, default=6.0, help="seconds measured per channel and round")
    ap.add_argument("--segments", action="store_true", help="viewers also fetch each whole segment (as non-LL players and edges do)")
    args = ap.parse_args()
    binary = Path(os.environ.get("ANTENNE_BIN", ".build/release/antenne")).resolve()
    if not binary.exists():
        print(f"{binary} not found: build it or set ANTENNE_BIN", file=sys.stderr)
        return 1
    source = make_source()
    work = Path(tempfile.mkdtemp(prefix="antenne-encryption-"))
    port, rtmp = free_port(), free_port()
    cmd = [str(binary), "serve", "--host", "127.0.0.1", "--http-port", str(port), "--rtmp-port", str(rtmp), "--srt-port", str(free_port()),
           "--data-dir", str(work / "data")]
    cmd += [arg for channel in CHANNELS for arg in ("--channel", f"{channel}:{channel}key01")]
    cmd += ["--encrypted-channel", "sealed:2", "--encrypted-channel", "cbcs:2:cbcs"]
    log = open(work / "antenne.log", "wb")
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                              env={**os.environ, "ANTENNE_CONTENT_KEY_SECRET": SECRET})
    publisher = None
    try:
        wait_for_status(f"http://127.0.0.1:{port}/readyz", 200, 30, [server], "antenne /readyz")
        tee = "|".join(f"[f=flv]rtmp://127.0.0.1:{rtmp}/live/{key}" for key in (f"{channel}key01" for channel in CHANNELS))
        publisher = subprocess.Popen(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", str(source),
                                      "-c", "copy", "-map", "0", "-tag:v", "7", "-tag:a", "10", "-f", "tee", tee],
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        for channel in CHANNELS:
            wait_for_status(f"http://127.0.0.1:{port}/hls/{channel}/source/index.m3u8", 200, 60, [server, publisher], f"{channel} live")
        time.sleep(3)
        idle = []
        rows: dict[str, list[float]] = {channel: [] for channel in CHANNELS}
        objects: dict[str, list[int]] = {channel: [] for channel in CHANNELS}
        for _ in range(args.rounds):
            c0, t0 = cpu_ns(server.pid), time.monotonic()
            time.sleep(2)
            idle.append((cpu_ns(server.pid) - c0) / (time.monotonic() - t0))
            for channel in CHANNELS:
                rate, count = measure(server.pid, port, channel, args.viewers, args.watch, args.segments)
                rows[channel].append(rate)
                objects[channel].append(count)
        base = statistics.median(idle)
        print(f"\n### HLS AES-128 and cbcs: server CPU with {args.viewers} LL-HLS viewers of one rendition "
              f"({'parts and segments' if args.segments else 'parts'}), medians of {args.rounds} rounds of {args.watch:.0f} s\n")
        print(f"Idle (every channel packaged, no viewer): {base / 1e6:.1f} ms CPU/s\n")
        print("| stream | objects/s served | server CPU ms/s | above idle ms/s | µs per object |")
        print("|---|---|---|---|---|")
        above = {}
        for channel in CHANNELS:
            total = statistics.median(rows[channel])
            above[channel] = total - base
            per_second = statistics.median(objects[channel]) / args.watch
            print(f"| {channel} | {per_second:.1f} | {total / 1e6:.1f} | {above[channel] / 1e6:.1f} | "
                  f"{above[channel] / 1e3 / max(per_second, 1e-9):.0f} |")
        for channel in CHANNELS[1:]:
            ratios = [(s - base) / max(c - base, 1.0) for c, s in zip(rows["clear"], rows[channel])]
            print(f"\n{channel} / clear, above idle: {statistics.median(ratios):.2f} (median of the rounds' ratios); "
                  f"difference {(above[channel] - above['clear']) / 1e6:.1f} ms CPU/s for one rendition.")
        return 0
    finally:
        if publisher:
            kill_tree(publisher)
        kill_tree(server)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
