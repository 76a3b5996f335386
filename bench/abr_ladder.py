#!/usr/bin/env python3
"""ABR ladder benchmark: one RTMP publish through a transcoding ladder, Antenne against plain ffmpeg.

In the same run, on the same 720p30 file (the live-spine source, 60 s):

  Antenne     `antenne serve --ladder mobile`, the file published in real time
              (ffmpeg -re -c copy) through the RTMP tap. Antenne runs its FFmpeg child.
  ffmpeg      plain ffmpeg running exactly the command line Antenne gave its child
              (read back from /proc), on the same file with -re, writing to /dev/null.

Measured:
  cpu         Antenne: user+system CPU seconds of the server's whole process tree over the
              publish (its FFmpeg child included; thumbnails too). ffmpeg: its own CPU seconds.
              The goal is a ratio of 1.05 or less.
  antenne     the server process alone (ingest, demuxing FFmpeg's output, packaging six
              renditions, serving the latency clients): what Antenne adds to FFmpeg.
  latency     per rendition: keyframe k fully received by Antenne (RTMP tap) -> part {k}.0 of
              that rendition downloadable (LL-HLS blocking requests). p50/p99. This is the
              delay of transcoding plus packaging; compare with bench/live_spine.py's
              passthrough figure.

See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
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

import live_spine as ls  # noqa: E402
from rtmp_tap import RtmpTap  # noqa: E402

RENDITIONS = ["720p", "480p", "360p", "240p"]


def self_cpu_seconds(pid: int) -> float:
    f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / ls.CLK_TCK


def transcoder_cmdline(pid: int) -> list[str] | None:
    for p in ls.process_tree(pid)[1:]:
        try:
            args = Path(f"/proc/{p}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        args = [a.decode() for a in args if a]
        if args and args[0].endswith("ffmpeg") and "pipe:0" in args and "mpegts" in args:
            return args
    return None


def measure_antenne(binary: Path, source: Path, ladder: str, verbose: bool) -> tuple[dict, list[str]]:
    workdir = Path(tempfile.mkdtemp(prefix="abr-antenne-"))
    server = ls.Antenne(workdir, binary, ["--ladder", ladder])
    server.start()
    stop = threading.Event()
    tap = RtmpTap(server.rtmp_port).start()
    watchers = {r: ls.Watcher(server.http_port, f"/hls/{server.channel}/{r}/index.m3u8", stop, True)
                for r in RENDITIONS}
    command = None
    publisher = None
    try:
        for w in watchers.values():
            w.start()
        cpu0, self0 = ls.tree_cpu_seconds(server.proc.pid), self_cpu_seconds(server.proc.pid)
        with open(workdir / "publisher.log", "wb") as log:
            publisher = subprocess.Popen(
                ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-re", "-i", str(source),
                 "-c", "copy", "-f", "flv", f"rtmp://127.0.0.1:{tap.port}/{server.publish_path()}"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
            rss = 0
            while publisher.poll() is None:
                command = command or transcoder_cmdline(server.proc.pid)
                rss = max(rss, ls.tree_hwm_kib(server.proc.pid))  # while FFmpeg is alive
                time.sleep(0.5)
        if publisher.returncode != 0:
            raise RuntimeError(f"publisher exited with {publisher.returncode}")
        # FFmpeg drains and exits after the publish: count it all.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and transcoder_cmdline(server.proc.pid):
            time.sleep(0.1)
        cpu1, self1 = ls.tree_cpu_seconds(server.proc.pid), self_cpu_seconds(server.proc.pid)
        wanted = len(tap.keyframes) - 1
        deadline = time.monotonic() + ls.TAIL_WAIT
        while time.monotonic() < deadline and any(len(w.available) < wanted for w in watchers.values()):
            time.sleep(0.1)
    finally:
        stop.set()
        if publisher is not None and publisher.poll() is None:
            ls.kill_tree(publisher)
        tap.stop()
        server.stop()
        for w in watchers.values():
            w.conn.close()
            w.join(5)
        if not verbose:
            shutil.rmtree(workdir, ignore_errors=True)
    if command is None:
        raise RuntimeError("Antenne never started its FFmpeg child")
    result = {"cpu_s": cpu1 - cpu0, "antenne_self_cpu_s": self1 - self0, "rss_peak_mib": rss / 1024,
              "keyframes": len(tap.keyframes)}
    errors = list(tap.errors)
    for r, w in watchers.items():
        first = w.first_sequence or 0
        lat = [w.available[first + k] - kf.wall for k, kf in enumerate(tap.keyframes)
               if k >= ls.SKIP_KEYFRAMES and first + k in w.available]
        result[f"{r}_p50_ms"] = ls._ms(ls.percentile(lat, 50))
        result[f"{r}_p99_ms"] = ls._ms(ls.percentile(lat, 99))
        result[f"{r}_n"] = len(lat)
        errors += w.errors[:3]
    result["errors"] = errors
    return result, command


def measure_ffmpeg(command: list[str], source: Path) -> dict:
    """Antenne's FFmpeg command line, reading the file in real time instead of the pipe."""
    args = list(command)
    i = args.index("pipe:0")
    # Replace "-f mpegts -i pipe:0" with "-re -i FILE".
    start = i - 3 if args[i - 3] == "-f" else i - 1
    args[start:i + 1] = ["-re", "-i", str(source)]
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(args, stdout=null, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise RuntimeError(f"reference ffmpeg exited with status {status}: {' '.join(args)}")
    return {"cpu_s": usage.ru_utime + usage.ru_stime, "rss_peak_mib": usage.ru_maxrss / 1024}


def table(title: str, antenne: dict, ffmpeg: dict) -> str:
    rows = [f"{title}", f"{'metric':<38}{'Antenne':>10}{'ffmpeg':>10}{'ratio':>8}", "-" * 66]

    def row(name, a, f=None, fmt="{:.2f}"):
        ratio = f"{a / f:.3f}" if (a is not None and f) else ""
        rows.append(f"{name:<38}{fmt.format(a) if a is not None else '-':>10}"
                    f"{fmt.format(f) if f is not None else '':>10}{ratio:>8}")

    row("CPU over publish, whole pipeline (s)", antenne["cpu_s"], ffmpeg["cpu_s"])
    row("  of which Antenne itself (s)", antenne["antenne_self_cpu_s"])
    row("peak RSS (MiB)", antenne["rss_peak_mib"], ffmpeg["rss_peak_mib"], "{:.1f}")
    for r in RENDITIONS:
        row(f"keyframe->{r} part p50 (ms)", antenne.get(f"{r}_p50_ms"), None, "{:.0f}")
        row(f"keyframe->{r} part p99 (ms)", antenne.get(f"{r}_p99_ms"), None, "{:.0f}")
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=1, help="repetitions; medians are printed (default 1)")
    ap.add_argument("--duration", type=int, default=60, help="source length in seconds (default 60)")
    ap.add_argument("--ladder", default="mobile", help="ladder preset (default mobile)")
    ap.add_argument("--antenne-bin", default=os.environ.get("ANTENNE_BIN", ".build/debug/antenne"))
    ap.add_argument("-v", "--verbose", action="store_true", help="keep the work dir and print the command")
    args = ap.parse_args()
    binary = Path(args.antenne_bin)
    if not binary.is_absolute():
        binary = ls.REPO / binary
    source = ls.make_source(args.duration)

    runs = []
    for i in range(args.runs):
        antenne, command = measure_antenne(binary, source, args.ladder, args.verbose)
        if args.verbose:
            print(" ".join(command), file=sys.stderr)
        ffmpeg = measure_ffmpeg(command, source)
        runs.append((antenne, ffmpeg))
        print(table(f"\nrun {i + 1}/{args.runs} ({args.duration} s of 720p30, ladder {args.ladder})", antenne, ffmpeg))
        if antenne["errors"]:
            print(f"errors: {antenne['errors'][:5]}", file=sys.stderr)
    if args.runs > 1:
        med_a = {k: statistics.median([a[k] for a, _ in runs if a.get(k) is not None])
                 for k in runs[0][0] if k != "errors" and any(a.get(k) is not None for a, _ in runs)}
        med_f = {k: statistics.median([f[k] for _, f in runs]) for k in runs[0][1]}
        print(table(f"\nmedian over {args.runs} runs", med_a, med_f))
    return 0


if __name__ == "__main__":
    sys.exit(main())
