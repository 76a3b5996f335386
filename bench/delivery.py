#!/usr/bin/env python3
"""Delivery at scale: what a request costs, and what viewers behind an edge or a cache cost the
origin (issue "Scale out delivery", benchmark).

  cost       CPU per request for a media playlist, a part and a segment: `antenne serve` answering
             from memory against nginx serving the same bytes from tmpfs (sendfile), one after
             the other in each round, with wrk on loopback. The goal: a ratio of at most 1.0.
  h2         the same part over HTTPS: HTTP/1.1 against HTTP/2 (h2load, one connection per
             client, 10 streams each), Antenne's own TLS listener.
  edge       simulated LL-HLS viewers of the ~1 Mbit/s source behind one `antenne edge` (each on
             one keep-alive connection: a blocking reload for the preload hint, then the part;
             the Swift load generator `antenne-loadgen`, built when missing, $LOADGEN_BIN to
             override): origin requests/s as viewers grow (it must stay flat), "part available at
             the origin -> part delivered to the viewer" p50/p99 (the goal: under 200 ms for
             2,000 viewers), the edge's CPU.
  cdn        the same viewers behind nginx's proxy_cache and Varnish (deploy/), with their hit
             ratio (from the origin's part count).
  failover   two origins fed by one encoder (a tee), an edge of both; the first is killed: time
             until the edge serves the next part.

Usage:
  ANTENNE_BIN=.build/release/antenne python3 bench/delivery.py            # everything, short (~4 min)
  python3 bench/delivery.py --only cost --rounds 5 --seconds 5
  python3 bench/delivery.py --only edge --viewers 1,200,500,1000,2000 --watch 20
It needs wrk, h2load (nghttp2-client), nginx, varnish, openssl and ffmpeg (Debian packages).
Only loopback addresses are used; everything started is stopped on exit. The machine is noisy:
read medians and ratios, not single figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "support"))

from cdn_servers import RUNNERS, origin_responses  # noqa: E402
from procutil import free_port, kill_tree, wait_for_status  # noqa: E402

OUT = HERE / "out"
HINT = re.compile(r'#EXT-X-PRELOAD-HINT:TYPE=PART,URI="(\d+)\.(\d+)\.m4s')
PART = re.compile(r'#EXT-X-PART:[^\n]*URI="(\d+)\.(\d+)\.m4s')
# Issue 14's goal for "part available at the origin -> part delivered to the viewer".
P99_GOAL_MS = 200


# ---------------------------------------------------------------- processes


def cpu_ns(pid: int, field: int = 0) -> int:
    """CPU time of every thread of `pid` and of its children (schedstat), nanoseconds; with
    `field` 1, the time they waited for a CPU while runnable instead."""
    total = 0
    pids = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    pids.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    for p in pids:
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                try:
                    total += int((task / "schedstat").read_text().split()[field])
                except (OSError, ValueError, IndexError):
                    continue
        except OSError:
            continue
    return total


def make_source() -> Path:
    """30 s of 640x360p30 at about 1 Mbit/s (a 0.5 s part is about 60 KB, a 2 s segment about
    250 KB), 2 s closed GOPs, AAC: made once, published in a loop with `-c copy`."""
    OUT.mkdir(exist_ok=True)
    path = OUT / "source-360p30-1M-30s.mp4"
    if not path.exists():
        subprocess.run(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30,noise=alls=12:allf=t",
             "-f", "lavfi", "-i", "sine=sample_rate=48000", "-t", "30", "-map", "0:v", "-map", "1:a",
             "-c:v", "libx264", "-preset", "veryfast", "-b:v", "1M", "-maxrate", "1M", "-bufsize", "1M",
             "-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-c:a", "aac", "-b:a", "96k", str(path)],
            check=True)
    return path


@dataclass
class Origin:
    process: subprocess.Popen
    port: int
    rtmp: int
    work: Path
    https: int | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def running_origin(binary: Path, tls: tuple[Path, Path] | None = None) -> Iterator[Origin]:
    work = Path(tempfile.mkdtemp(prefix="antenne-delivery-"))
    port, rtmp, srt = free_port(), free_port(), free_port()
    cmd = [str(binary), "serve", "--host", "127.0.0.1", "--http-port", str(port), "--rtmp-port", str(rtmp), "--srt-port", str(srt),
           "--data-dir", str(work / "data"), "--channel", "demo:demokey01"]
    https = None
    if tls:
        https = free_port()
        cmd += ["--tls-cert", str(tls[0]), "--tls-key", str(tls[1]), "--https-port", str(https), "--rtmps-port", str(free_port())]
    log = work / "antenne.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_status(f"http://127.0.0.1:{port}/readyz", 200, 30, [proc], "antenne /readyz")
        yield Origin(proc, port, rtmp, work, https)
    finally:
        kill_tree(proc)
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def publishing(source: Path, urls: list[str]) -> Iterator[None]:
    # The tee muxer keeps the MP4's codec tags, which FLV refuses: FLV's own (7 H.264, 10 AAC).
    output = ["-f", "flv", urls[0]] if len(urls) == 1 else ["-map", "0", "-tag:v", "7", "-tag:a", "10", "-f", "tee", "|".join(f"[f=flv]{u}" for u in urls)]
    proc = subprocess.Popen(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", str(source),
                             "-c", "copy", *output], stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        yield
    finally:
        kill_tree(proc)


def wait_live(base_url: str, timeout: float = 60) -> None:
    wait_for_status(base_url + "/hls/demo/source/index.m3u8", 200, timeout, [], "channel live")


@contextmanager
def running_edge(binary: Path, origins: list[str]) -> Iterator[tuple[subprocess.Popen, int]]:
    port = free_port()
    cmd = [str(binary), "edge", "--host", "127.0.0.1", "--http-port", str(port)]
    for origin in origins:
        cmd += ["--origin", origin]
    log = Path(tempfile.mkstemp(prefix="antenne-edge-", suffix=".log")[1])
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_status(f"http://127.0.0.1:{port}/readyz", 200, 30, [proc], "antenne edge /readyz")
        wait_for_status(f"http://127.0.0.1:{port}/hls/demo/source/index.m3u8", 200, 20, [proc], "edge pulls demo")
        yield proc, port
    finally:
        kill_tree(proc)
        log.unlink(missing_ok=True)


# ---------------------------------------------------------------- cost


def wrk(url: str, seconds: int, connections: int) -> int:
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"wrk got errors from {url}:\n{out}")
    return int(re.search(r"(\d+) requests in", out).group(1))


def newest(base_url: str) -> tuple[str, str]:
    """A part of the newest complete segment, of the median size of its parts (a key-frame part
    is larger, a part cut short at a segment's end smaller), and the newest segment of
    demo/source."""
    text = urllib.request.urlopen(base_url + "/hls/demo/source/index.m3u8", timeout=5).read().decode()
    segment = re.findall(r"^(\d+)\.m4s$", text, re.M)[-1]
    parts = [f"{m}.{p}.m4s" for m, p in PART.findall(text) if m == segment]
    sizes = sorted((len(urllib.request.urlopen(f"{base_url}/hls/demo/source/{name}", timeout=5).read()), name) for name in parts)
    return sizes[len(sizes) // 2][1], f"{segment}.m4s"


@contextmanager
def static_nginx(root: Path) -> Iterator[subprocess.Popen | int]:
    """nginx serving `root` (tmpfs) as a file server tuned for it: sendfile, open file cache."""
    work = Path(tempfile.mkdtemp(prefix="antenne-static-", dir="/dev/shm"))
    port = free_port()
    temp = "\n".join(f"  {k}_temp_path {work}/{k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (work / "nginx.conf").write_text(f"""daemon off; worker_processes 1; pid {work}/nginx.pid; error_log {work}/error.log warn;
events {{ worker_connections 1024; }}
http {{
{temp}
  access_log off; sendfile on; tcp_nopush on; open_file_cache max=100 inactive=60s; keepalive_requests 1000000;
  types {{ application/vnd.apple.mpegurl m3u8; video/mp4 m4s mp4; }}
  server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
""")
    if os.geteuid() == 0:
        (work / "nginx.conf").write_text((work / "nginx.conf").read_text().replace("daemon off;", "daemon off; user root;"))
    proc = subprocess.Popen(["nginx", "-p", str(work), "-c", str(work / "nginx.conf")], start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.05)
                continue
            break
        yield proc, port
    finally:
        kill_tree(proc)
        shutil.rmtree(work, ignore_errors=True)


def background_rate(pid: int, seconds: float = 2.0) -> float:
    c0, t0 = cpu_ns(pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_ns(pid) - c0) / (time.monotonic() - t0)


def cost(binary: Path, source: Path, args: argparse.Namespace) -> None:
    """Antenne against nginx from tmpfs, same bytes, same wrk, alternated in each round."""
    results: dict[tuple[str, str], list[float]] = {}
    rates: dict[tuple[str, str], list[float]] = {}
    sizes: dict[str, int] = {}
    with running_origin(binary) as origin, publishing(source, [f"rtmp://127.0.0.1:{origin.rtmp}/live/demokey01"]):
        wait_live(origin.base_url)
        time.sleep(3)
        background = background_rate(origin.process.pid)
        root = Path(tempfile.mkdtemp(prefix="antenne-files-", dir="/dev/shm"))
        try:
            with static_nginx(root) as (nginx, nginx_port):
                nginx_background = background_rate(nginx.pid, 1.0)
                for _ in range(args.rounds):
                    for name in ("media playlist", "part", "segment"):
                        # A part stays listed about three target durations: looked up for each case.
                        part, segment = newest(origin.base_url)
                        file = {"media playlist": "index.m3u8", "part": part, "segment": segment}[name]
                        body = urllib.request.urlopen(f"{origin.base_url}/hls/demo/source/{file}", timeout=5).read()
                        sizes[name] = len(body)
                        (root / file).write_bytes(body)
                        for server, pid, url, bg in [
                            ("antenne", origin.process.pid, f"{origin.base_url}/hls/demo/source/{file}", background),
                            ("nginx", nginx.pid, f"http://127.0.0.1:{nginx_port}/{file}", nginx_background),
                        ]:
                            c0, t0 = cpu_ns(pid), time.monotonic()
                            served = wrk(url, args.seconds, args.connections)
                            elapsed = time.monotonic() - t0
                            used = cpu_ns(pid) - c0 - bg * elapsed
                            results.setdefault((name, server), []).append(used / served / 1000)
                            rates.setdefault((name, server), []).append(served / elapsed)
        finally:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\n### Request cost: Antenne from memory against nginx from tmpfs "
          f"(wrk -t1 -c{args.connections}, {args.seconds} s per case, medians of {args.rounds} rounds)\n")
    print("| request | bytes | Antenne req/s | Antenne CPU µs/req | nginx req/s | nginx CPU µs/req | ratio |")
    print("|---|---|---|---|---|---|---|")
    for name in ("media playlist", "part", "segment"):
        a, n = statistics.median(results[(name, "antenne")]), statistics.median(results[(name, "nginx")])
        ratios = [x / y for x, y in zip(results[(name, "antenne")], results[(name, "nginx")])]
        print(f"| {name} | {sizes[name]:,} | {statistics.median(rates[(name, 'antenne')]):,.0f} | {a:.1f} | "
              f"{statistics.median(rates[(name, 'nginx')]):,.0f} | {n:.1f} | {statistics.median(ratios):.2f} |")


# ---------------------------------------------------------------- HTTP/2


def h2load(url: str, seconds: int, clients: int, h1: bool) -> tuple[int, float]:
    cmd = ["h2load", "-D", str(seconds), "-c", str(clients), "-m", "1" if h1 else "10", url]
    if h1:
        cmd.insert(1, "--h1")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout
    done = re.search(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded", out)
    if not done or not re.search(r"status codes: \d+ 2xx, 0 3xx, 0 4xx, 0 5xx", out):
        raise RuntimeError(f"h2load failed on {url}:\n{out}")
    seconds = re.search(r"finished in ([\d.]+)(ms|s)", out)
    elapsed = float(seconds.group(1)) / (1000 if seconds.group(2) == "ms" else 1)
    return int(done.group(1)), elapsed


def http2(binary: Path, source: Path, args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="antenne-tls-"))
    cert, key = work / "cert.pem", work / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    results: dict[str, list[tuple[float, float]]] = {}
    try:
        with running_origin(binary, (cert, key)) as origin, publishing(source, [f"rtmp://127.0.0.1:{origin.rtmp}/live/demokey01"]):
            wait_live(origin.base_url)
            time.sleep(3)
            background = background_rate(origin.process.pid)
            for _ in range(args.rounds):
                for label in ("media playlist", "part"):
                    for proto in ("HTTP/1.1", "HTTP/2"):
                        # A part stays listed for about three target durations: the newest, each time.
                        file = "index.m3u8" if label == "media playlist" else newest(origin.base_url)[0]
                        url = f"https://127.0.0.1:{origin.https}/hls/demo/source/{file}"
                        c0, t0 = cpu_ns(origin.process.pid), time.monotonic()
                        served, elapsed = h2load(url, args.seconds, args.connections, proto == "HTTP/1.1")
                        wall = time.monotonic() - t0
                        used = cpu_ns(origin.process.pid) - c0 - background * wall
                        results.setdefault(f"{label}|{proto}", []).append((served / elapsed, used / served / 1000))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n### HTTP/1.1 against HTTP/2, HTTPS (h2load -c{args.connections}, {args.seconds} s per case; HTTP/2 with "
          f"10 streams per connection; medians of {args.rounds} rounds)\n")
    print("| request | HTTP/1.1 req/s | CPU µs/req | HTTP/2 req/s | CPU µs/req | h2 / h1 CPU |")
    print("|---|---|---|---|---|---|")
    for label in ("media playlist", "part"):
        h1, h2 = results[f"{label}|HTTP/1.1"], results[f"{label}|HTTP/2"]
        ratio = statistics.median(b[1] / a[1] for a, b in zip(h1, h2))
        print(f"| {label} | {statistics.median(r for r, _ in h1):,.0f} | {statistics.median(c for _, c in h1):.1f} | "
              f"{statistics.median(r for r, _ in h2):,.0f} | {statistics.median(c for _, c in h2):.1f} | {ratio:.2f} |")


# ---------------------------------------------------------------- viewers


def get(connection: http.client.HTTPConnection, path: str) -> tuple[int, dict[str, str], str | bytes]:
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    headers = {k.lower(): v for k, v in response.getheaders()}
    return response.status, headers, body.decode() if path.split("?")[0].endswith(".m3u8") else body


def loadgen_binary(antenne: Path) -> Path:
    """The Swift load generator (`antenne-loadgen`, Sources/LoadGen): $LOADGEN_BIN, else the one
    next to the Antenne binary, else built (in the Antenne binary's configuration) in this
    checkout."""
    if os.environ.get("LOADGEN_BIN"):
        return Path(os.environ["LOADGEN_BIN"]).resolve()
    path = antenne.parent / "antenne-loadgen"
    if path.exists():
        return path
    configuration = "debug" if antenne.parent.name == "debug" else "release"
    subprocess.run(["nice", "-n", "10", "swift", "build", "-c", configuration, "--product", "antenne-loadgen"],
                   cwd=HERE.parent, check=True)
    return HERE.parent / ".build" / configuration / "antenne-loadgen"


def audience(loadgen: Path, front_url: str, origin: Origin, viewers: int, seconds: float, front_pid: int | None = None,
             threads: int = 1) -> dict:
    """`viewers` simulated LL-HLS viewers of demo/source at `front_url` for `seconds` (after a
    1 s staggered start and 2 s to get in step), each on one keep-alive connection: a blocking
    reload for the preload hint, then the part. The generator's own figures (`antenne-loadgen`:
    requests, parts, errors, part-available-at-origin -> delivered), with the origin's request
    rate (its own count, the availability probe's requests taken out), the front's CPU (and how
    long its runnable threads waited for one: a shared machine's share), and the
    share of the viewers' parts that did not reach the origin."""
    playlist = "/hls/demo/source/index.m3u8"
    load = os.getloadavg()[0]
    proc = subprocess.Popen([str(loadgen), "--url", front_url + playlist, "--origin", origin.base_url + playlist,
                             "--viewers", str(viewers), "--seconds", str(seconds), "--threads", str(threads)],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    marks: list[tuple[dict[str, float], tuple[int, int], float]] = []
    try:
        for line in proc.stdout:
            if '"event"' in line:
                cpu = (cpu_ns(front_pid), cpu_ns(front_pid, 1)) if front_pid else (0, 0)
                marks.append((origin_responses(origin.base_url), cpu, time.monotonic()))
            else:
                report = json.loads(line)
        if proc.wait(timeout=30) != 0 or len(marks) != 2:
            raise RuntimeError(f"antenne-loadgen failed ({proc.returncode})")
    finally:
        kill_tree(proc)
    (before, cpu0, t0), (after, cpu1, t1) = marks
    origin_requests = sum(after.values()) - sum(before.values()) - report["probe_requests"]
    origin_parts = after.get("part", 0) - before.get("part", 0)
    return {**report, "origin_rps": origin_requests / report["seconds"], "front_cores": (cpu1[0] - cpu0[0]) / 1e9 / (t1 - t0),
            "front_waiting": (cpu1[1] - cpu0[1]) / 1e9 / (t1 - t0),
            "hit_ratio": 1 - origin_parts / max(1, report["parts"]), "load": load}


def viewer_table(title: str, rows: list[dict], hits: bool) -> None:
    print(f"\n### {title}\n")
    print("| viewers | viewer req/s | origin req/s | part available at origin -> delivered p50 ms | p99 ms | errors | front CPU cores | front waiting for a CPU |"
          + (" hit ratio |" if hits else "") + " generator CPU µs/req | load avg |")
    print("|---|---|---|---|---|---|---|---|" + ("---|" if hits else "") + "---|---|")
    for r in rows:
        print(f"| {r['viewers']:,} | {r['viewer_rps']:,.0f} | {r['origin_rps']:.1f} | {ms(r['p50_ms'])} | {ms(r['p99_ms'])} | "
              f"{r['errors']} | {r['front_cores']:.2f} | {r['front_waiting']:.2f} |" + (f" {r['hit_ratio']:.3f} |" if hits else "")
              + f" {r['cpu_us_per_request'] or float('nan'):.0f} | {r['load']:.1f} |")
    within = [r["viewers"] for r in rows if r["p99_ms"] is not None and r["p99_ms"] < P99_GOAL_MS and r["errors"] == 0]
    print(f"\nLargest count with p99 < {P99_GOAL_MS} ms and no errors: {max(within) if within else 'none'}.")


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def edge(binary: Path, source: Path, args: argparse.Namespace) -> None:
    counts = [int(v) for v in (args.viewers or "1,200,500,1000,2000").split(",")]
    loadgen = loadgen_binary(binary)
    rows: list[dict] = []
    with running_origin(binary) as origin, publishing(source, [f"rtmp://127.0.0.1:{origin.rtmp}/live/demokey01"]):
        wait_live(origin.base_url)
        with running_edge(binary, [origin.base_url]) as (proc, port):
            for n in counts:
                rows.append(audience(loadgen, f"http://127.0.0.1:{port}", origin, n, args.watch, proc.pid, args.loadgen_threads))
    viewer_table(f"Viewers behind one `antenne edge` ({args.watch:.0f} s each; antenne-loadgen on "
                 f"{args.loadgen_threads} event loop(s), on the same 2 cores)", rows, hits=False)


def cdn(binary: Path, source: Path, args: argparse.Namespace) -> None:
    counts = [int(v) for v in (args.viewers or "1,20,100,200").split(",")]
    loadgen = loadgen_binary(binary)
    with running_origin(binary) as origin, publishing(source, [f"rtmp://127.0.0.1:{origin.rtmp}/live/demokey01"]):
        wait_live(origin.base_url)
        for name, runner in RUNNERS.items():
            rows = []
            with runner(origin.port) as cache:
                for n in counts:
                    rows.append(audience(loadgen, cache.base_url, origin, n, args.watch, cache.process.pid, args.loadgen_threads))
            viewer_table(f"Viewers behind {name} (deploy/{name}), {args.watch:.0f} s each", rows, hits=True)


# ---------------------------------------------------------------- failover


def failover(binary: Path, source: Path, args: argparse.Namespace) -> None:
    times = []
    for _ in range(args.failovers):
        with ExitStack() as stack:
            first = stack.enter_context(running_origin(binary))
            second = stack.enter_context(running_origin(binary))
            stack.enter_context(publishing(source, [f"rtmp://127.0.0.1:{o.rtmp}/live/demokey01" for o in (first, second)]))
            wait_live(first.base_url)
            wait_live(second.base_url)
            _, port = stack.enter_context(running_edge(binary, [first.base_url, second.base_url]))
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            text = get(connection, "/hls/demo/source/index.m3u8")[2]
            time.sleep(2)
            text = get(connection, "/hls/demo/source/index.m3u8")[2]
            found = HINT.search(text)
            msn, part = int(found.group(1)), int(found.group(2))
            os.kill(first.process.pid, signal.SIGKILL)
            killed = time.monotonic()
            while time.monotonic() - killed < 15:
                try:
                    status, _, _ = get(connection, f"/hls/demo/source/index.m3u8?_HLS_msn={msn}&_HLS_part={part}")
                except OSError:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    continue
                if status == 200:
                    break
            times.append(time.monotonic() - killed)
    print(f"\n### Failover: the first of two tee-fed origins killed (kill -9) under an edge ({len(times)} runs)\n")
    print("| next part served by the edge after | median | max |")
    print("|---|---|---|")
    print(f"| seconds (the part was due within 0.5 s anyway) | {statistics.median(times):.2f} | {max(times):.2f} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", action="append", choices=["cost", "h2", "edge", "cdn", "failover"])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=3, help="wrk or h2load duration per case (a part stays listed about 6 s)")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--viewers", help="viewer counts, comma-separated (edge: 1,200,500,1000,2000; cdn: 1,20,100,200)")
    ap.add_argument("--loadgen-threads", type=int, default=2, help="event loops antenne-loadgen's viewers run on")
    ap.add_argument("--watch", type=float, default=8.0, help="seconds measured per viewer count")
    ap.add_argument("--failovers", type=int, default=2)
    args = ap.parse_args()
    binary = Path(os.environ.get("ANTENNE_BIN", ".build/release/antenne")).resolve()
    if not binary.exists():
        print(f"{binary} not found: build it (swift build -c release) or set ANTENNE_BIN", file=sys.stderr)
        return 1
    source = make_source()
    print(f"Antenne: {binary}; source {source.name}")
    for part in args.only or ["cost", "h2", "edge", "cdn", "failover"]:
        {"cost": cost, "h2": http2, "edge": edge, "cdn": cdn, "failover": failover}[part](binary, source, args)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
