#!/usr/bin/env python3
"""Archive benchmark: what archiving costs a live channel, how fast catch-up segments come back
from disk and from S3, and how long clips take to cut.

    ANTENNE_BIN=.build/release/antenne python3 bench/archive.py               # everything
    python3 bench/archive.py --runs 3 --only write                            # write overhead, medians of 3
    python3 bench/archive.py --only catchup --only clips

Parts (see bench/README.md):
- write: the same 60 s 720p30 publish (-re -c copy) three times: no archive, a disk archive, an
  S3 archive (moto's server, started here). Server CPU over the publish, and the overhead.
- catchup: after each archived publish, every archived segment of the catch-up playlist is
  fetched over one keep-alive connection, cold (first request) and warm; first-byte time
  p50/p99, disk against S3.
- clips: a control-plane channel's archive is filled with 61 minutes of 720p (the 60 s publish,
  then its segments copied back in time with their media times and keys rewritten), then clips
  of 1, 10 and 60 minutes are made through the API; the time from POST to `ready`.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import control_plane as cp  # noqa: E402
import live_spine as ls  # noqa: E402
from httpclient import Connection, wait_until_ready  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- servers

class Moto:
    """moto's S3 server (pip install 'moto[server]'), authentication off: any key signs."""

    def __init__(self, workdir: Path) -> None:
        self.port = ls.free_port()
        self.proc = cp.spawn([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                             workdir / "moto.log")
        cp.CHILDREN.add("moto", lambda: ls.kill_tree(self.proc))
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=1).read()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto did not start:\n{ls.tail(workdir / 'moto.log')}")
                time.sleep(0.2)

    def bucket(self) -> str:
        name = "bench-" + secrets.token_hex(4)
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/{name}", method="PUT")
        urllib.request.urlopen(request, timeout=10).read()
        return name


class Server:
    """`antenne serve` with one configured channel `bench`, and the control plane's admin token."""

    def __init__(self, binary: Path, workdir: Path, archive: list[str], env: dict[str, str]) -> None:
        self.binary, self.workdir, self.archive, self.extra_env = binary, workdir, archive, env
        self.key = "bench" + secrets.token_hex(8)
        self.admin = "adm_" + secrets.token_urlsafe(24)
        self.log = workdir / "antenne.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        if not os.access(self.binary, os.X_OK):
            raise RuntimeError(f"antenne binary not found at {self.binary} (build it, or set ANTENNE_BIN)")
        self.http_port, self.rtmp_port = ls.free_port(), ls.free_port()
        env = dict(os.environ, ANTENNE_ADMIN_TOKEN=self.admin, **self.extra_env)
        cmd = [str(self.binary), "serve", "--host", "127.0.0.1", "--http-port", str(self.http_port),
               "--rtmp-port", str(self.rtmp_port), *ls.no_srt(str(self.binary)), "--data-dir", str(self.workdir / "data"),
               "--channel", f"bench:{self.key}", *self.archive]
        self.proc = cp.spawn(cmd, self.log, env=env, cwd=self.workdir)
        cp.CHILDREN.add("antenne", self.stop)
        wait_until_ready(self.http_port, self.proc, 60, lambda: ls.tail(self.log))

    def publish(self, source: Path, key: str | None = None) -> float:
        """Publishes `source` in real time; returns the server's CPU seconds over the publish."""
        before = ls.tree_cpu_seconds(self.proc.pid)
        subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-i", str(source),
                        "-c", "copy", "-f", "flv", f"rtmp://127.0.0.1:{self.rtmp_port}/live/{key or self.key}"], check=True)
        # The last segments reach the store a moment after the encoder leaves.
        time.sleep(2)
        return ls.tree_cpu_seconds(self.proc.pid) - before

    def api(self, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.http_port}/api/v1/{path}", data=data, method=method)
        request.add_header("Authorization", f"Bearer {token or self.admin}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
        return json.loads(text) if text else {}

    def stop(self) -> None:
        if self.proc is not None:
            ls.kill_tree(self.proc)
            self.proc = None


def iso(ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms / 1000)) + f".{ms % 1000:03d}Z"


# --------------------------------------------------------------------------- catch-up

def catchup_ttfb(server: Server, start_ms: int, end_ms: int) -> dict:
    """Every segment of the catch-up playlist of `source`, cold then warm, first-byte times."""
    conn = Connection("127.0.0.1", server.http_port, timeout=30)
    query = f"start={iso(start_ms)}&end={iso(end_ms)}"
    text = conn.get(f"/hls/bench/source/index.m3u8?{query}").body.decode()
    uris = [line for line in text.splitlines() if line and not line.startswith("#")]
    if not uris:
        raise RuntimeError(f"empty catch-up playlist:\n{text}")
    result = {}
    for label in ("cold", "warm"):
        times = []
        for uri in uris:
            response = conn.get(f"/hls/bench/source/{uri}")
            if response.status != 200:
                raise RuntimeError(f"{uri}: HTTP {response.status}")
            times.append(response.ttfb)
        result[label] = times
    conn.close()
    return {"segments": len(uris), **{f"{k}_p50_ms": ls.percentile(v, 50) * 1000 for k, v in result.items()},
            **{f"{k}_p99_ms": ls.percentile(v, 99) * 1000 for k, v in result.items()}}


def write_run(binary: Path, source: Path, backend: str, moto: Moto | None, workdir: Path) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"{backend}-", dir=workdir))
    env: dict[str, str] = {}
    archive: list[str] = []
    if backend == "disk":
        archive = ["--archive", str(work / "archive")]
    elif backend == "s3":
        archive = ["--archive", f"s3://{moto.bucket()}/bench", "--s3-endpoint", f"http://127.0.0.1:{moto.port}"]
        env = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench-secret", "AWS_REGION": "us-east-1"}
    server = Server(binary, work, archive, env)
    server.start()
    try:
        started = int(time.time() * 1000)
        cpu = server.publish(source)
        result = {"cpu_s": cpu, "hwm_mib": ls.tree_hwm_kib(server.proc.pid) / 1024}
        if backend != "none":
            result.update(catchup_ttfb(server, started - 5_000, int(time.time() * 1000)))
        return result
    finally:
        server.stop()


# --------------------------------------------------------------------------- clips

TFDT = re.compile(rb"tfdt")


def shifted(segment: bytes, ticks: int) -> bytes:
    """The segment with every tfdt moved by `ticks` (media time of the copy)."""
    out = bytearray(segment)
    for match in TFDT.finditer(segment):
        at = match.start() + 4
        version = out[at]
        if version == 1:
            (value,) = struct.unpack_from(">Q", out, at + 4)
            struct.pack_into(">Q", out, at + 4, value + ticks)
        else:
            (value,) = struct.unpack_from(">I", out, at + 4)
            struct.pack_into(">I", out, at + 4, (value + ticks) & 0xFFFFFFFF)
    return bytes(out)


def hour_path(ms: int) -> tuple[str, str]:
    t = time.gmtime(ms / 1000)
    return time.strftime("%Y%m%d", t), time.strftime("%H", t)


def backfill(archive: Path, channel: str, minutes: int) -> tuple[int, int]:
    """Copies the channel's archived publish back in time until `minutes` are archived, as if it
    had been live that long: the copies take the first numbers and the publish's own segments
    are renumbered after them. Returns (first pdt, end of the last segment) in Unix ms."""
    name = re.compile(r"^(\d{10})_(-?\d+)_(-?\d+)_(\d+)_(\d+)_([ndg]+)_([0-9a-f]{16})\.m4s$")
    first_pdt, end = None, 0
    for rendition_dir in sorted(d for d in (archive / channel).iterdir() if d.is_dir()):
        records = []
        for path in rendition_dir.glob("*/*/*.m4s"):
            m = name.match(path.name)
            if m:
                records.append((int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), m[6], m[7], path))
        records.sort()
        # Whole 2 s segments of one session are copied; the last (short) one is not.
        body = records[:-1]
        span_ms = sum(r[3] * 1000 // r[4] for r in body)
        span_ticks = sum(r[3] for r in body)
        copies = -(-minutes * 60_000 // span_ms)
        shift = copies * len(body) - records[0][0]

        def place(msn: int, pdt: int, dts: int, duration: int, timescale: int, flags: str, init: str) -> Path:
            day, hour = hour_path(pdt)
            target = rendition_dir / day / hour / f"{msn:010d}_{pdt}_{dts}_{duration}_{timescale}_{flags}_{init}.m4s"
            target.parent.mkdir(parents=True, exist_ok=True)
            return target

        # Media time runs on through the copies into the publish: the publish's own segments move
        # forward by what the copies take.
        for msn, pdt, dts, duration, timescale, flags, init, path in reversed(records):
            target = place(msn + shift, pdt, dts + copies * span_ticks, duration, timescale, flags, init)
            target.write_bytes(shifted(path.read_bytes(), copies * span_ticks))
            path.unlink()
        for copy in range(copies):
            back = copies - copy
            for index, (msn, pdt, dts, duration, timescale, flags, init, path) in enumerate(body):
                data = place(msn + shift, pdt, dts + copies * span_ticks, duration, timescale, flags, init).read_bytes()
                target = place(copy * len(body) + index, pdt - back * span_ms, dts + copy * span_ticks, duration, timescale,
                               "n", init)
                target.write_bytes(shifted(data, -back * span_ticks))
        first = records[0][1] - copies * span_ms
        first_pdt = first if first_pdt is None else max(first_pdt, first)
        end = max(end, records[-1][1] + records[-1][3] * 1000 // records[-1][4])
    return first_pdt, end


def clip_runs(binary: Path, source: Path, workdir: Path, lengths: list[int]) -> dict:
    work = Path(tempfile.mkdtemp(prefix="clips-", dir=workdir))
    server = Server(binary, work, ["--archive", str(work / "archive")], {})
    server.start()
    try:
        org = server.api("POST", "organisations", {"name": "Bench clips"})
        token = server.api("POST", f"organisations/{org['id']}/tokens", {"name": "bench", "role": "admin"})["secret"]
        channel = server.api("POST", "channels", {"name": "clips", "archive": {"enabled": True}}, token)
        key = server.api("POST", f"channels/{channel['id']}/keys", {"label": "bench"}, token)["secret"]
        server.publish(source, key=key)
        # Stop the server so the copies are seen by a fresh reader, then backfill.
        server.stop()
        first, end = backfill(work / "archive", "clips", max(lengths) + 1)
        server.start()
        results = {}
        for minutes in lengths:
            start = first + 10_000
            began = time.monotonic()
            clip = server.api("POST", f"channels/{channel['id']}/clips",
                              {"start": iso(start), "duration": minutes * 60}, token)
            while clip["status"] in ("pending", "processing"):
                time.sleep(0.02)
                clip = server.api("GET", f"clips/{clip['id']}", token=token)
            elapsed = time.monotonic() - began
            if clip["status"] != "ready":
                raise RuntimeError(f"clip of {minutes} min: {clip}")
            results[f"{minutes} min"] = {"seconds": elapsed, "size_mib": clip["size"] / 2**20}
        return results
    finally:
        server.stop()


# --------------------------------------------------------------------------- report

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", action="append", choices=["write", "catchup", "clips"])
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    parts = set(args.only or ["write", "catchup", "clips"])
    binary = Path(os.environ.get("ANTENNE_BIN", ROOT / ".build/release/antenne")).resolve()
    cp.CHILDREN = cp.Children()
    workdir = Path(tempfile.mkdtemp(prefix="antenne-bench-archive-"))
    try:
        source = ls.make_source(60)
        if parts & {"write", "catchup"}:
            moto = Moto(workdir)
            runs: dict[str, list[dict]] = {"none": [], "disk": [], "s3": []}
            for _ in range(args.runs):
                for backend in (["none"] if "write" in parts else []) + ["disk", "s3"]:
                    runs[backend].append(write_run(binary, source, backend, moto, workdir))
            med = {b: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for b, rs in runs.items() if rs}
            if "write" in parts:
                base = med["none"]["cpu_s"]
                print(f"\nArchive write overhead, 60 s 720p30 ~3 Mbit/s, medians of {args.runs} run(s)")
                print("| archive | server CPU s | overhead | peak RSS MiB |")
                print("|---|---|---|---|")
                for backend in ("none", "disk", "s3"):
                    m = med[backend]
                    print(f"| {backend} | {m['cpu_s']:.2f} | {100 * (m['cpu_s'] / base - 1):+.1f} % | {m['hwm_mib']:.1f} |")
            print(f"\nCatch-up segment first byte (source rendition, {int(med['disk']['segments'])} segments), medians of {args.runs} run(s)")
            print("| store | cold p50 ms | cold p99 ms | warm p50 ms | warm p99 ms |")
            print("|---|---|---|---|---|")
            for backend in ("disk", "s3"):
                m = med[backend]
                print(f"| {backend} | {m['cold_p50_ms']:.2f} | {m['cold_p99_ms']:.2f} | {m['warm_p50_ms']:.2f} | {m['warm_p99_ms']:.2f} |")
            print(f"| s3 / disk (warm p50) | | | {med['s3']['warm_p50_ms'] / med['disk']['warm_p50_ms']:.1f} | |")
        if "clips" in parts:
            all_runs = [clip_runs(binary, source, workdir, [1, 10, 60]) for _ in range(args.runs)]
            print(f"\nClip creation, 720p30 ~3 Mbit/s from the disk archive, medians of {args.runs} run(s)")
            print("| clip | POST to ready s | MP4 MiB |")
            print("|---|---|---|")
            for label in all_runs[0]:
                seconds = statistics.median(r[label]["seconds"] for r in all_runs)
                size = statistics.median(r[label]["size_mib"] for r in all_runs)
                print(f"| {label} | {seconds:.2f} | {size:.0f} |")
        return 0
    finally:
        cp.CHILDREN.stop_all()
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
