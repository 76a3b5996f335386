#!/usr/bin/env python3
"""Failover time of a channel's backup input: from the primary's last frame to the backup's first
part in the playlist, p50 and p99 over N switches (issue "More ways in and out", benchmark).

A channel with a primary and a backup key; two ffmpeg encoders publish over RTMP in real time
(30 fps, a key frame every `--gop` frames). Each round kills the primary (SIGKILL: its connection
closes, so its last frame is the kill's moment, within a frame), measures when a client polling
the media playlist every 20 ms first sees a part after the new EXT-X-DISCONTINUITY, then restarts
the primary and waits for the channel to return to it. The figure includes the wait for the
backup's next key frame (up to a GOP), the part target (the first part is listed once complete)
and the client's poll; the round also checks that the client never got an error.

    python3 bench/failover.py --switches 10 [--part-duration 0.2] [--gop 15]
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "support"))

from antenne_server import antenne_bin, running_antenne  # noqa: E402
from failover_probe import FailoverProbe, variant_playlist  # noqa: E402
from procutil import kill_tree, log_tail, sigkill  # noqa: E402


def publish(url: str, size: str, gop: int, log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
             "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30",
             "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
             "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", str(gop), "-b:v", "300k",
             "-c:a", "aac", "-b:a", "64k", "-f", "flv", url],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = q * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def measure(switches: int = 10, gop: int = 15, part_duration: str = "0.2", return_after: str = "1",
            binary: Path | None = None) -> tuple[dict, list[float]]:
    """Runs `switches` failovers (see the module's doc) with `binary` (default $ANTENNE_BIN) and
    returns the summary and each switch's time in seconds. Exits with the server's log when a
    round does not switch."""
    times: list[float] = []
    errors: list[tuple[str, int | None]] = []
    with tempfile.TemporaryDirectory(prefix="antenne-failover-") as work:
        work_dir = Path(work)
        backup_key = "b" + secrets.token_hex(12)
        server_args = ["--backup-key", f"demo:{backup_key}", "--part-duration", part_duration,
                       "--input-return-after", return_after]
        with running_antenne(binary or antenne_bin(), work_dir, server_args) as server:
            log = work_dir / "ffmpeg.log"
            primary = publish(server.publish_url, "320x180", gop, log)
            backup = publish(f"rtmp://127.0.0.1:{server.rtmp_port}/live/{backup_key}", "256x144", gop, log)
            probe = FailoverProbe(variant_playlist(server.url("/hls/demo"), 40), interval=0.02).start()
            try:
                if not probe.wait_for_newest(2, 40):
                    raise SystemExit(f"the channel never went live\n{log_tail(server.log_path)}")
                time.sleep(2)
                for round_ in range(switches):
                    count = len(probe.switches)
                    killed = time.monotonic()
                    sigkill(primary)
                    seen = probe.wait_for_switches(count + 1, 15)
                    if not seen:
                        raise SystemExit(f"round {round_}: no failover\n{log_tail(server.log_path)}")
                    times.append(seen.seen_at - killed)
                    print(f"switch {round_ + 1}: {1000 * times[-1]:.0f} ms", flush=True)
                    primary = publish(server.publish_url, "320x180", gop, log)
                    if not probe.wait_for_switches(count + 2, 30):
                        raise SystemExit(f"round {round_}: the primary did not return\n{log_tail(server.log_path)}")
                    time.sleep(1)
                errors = list(probe.failures)
            finally:
                probe.stop()
                kill_tree(primary)
                kill_tree(backup)

    result = {
        "switches": len(times),
        "gop_frames": gop,
        "part_duration": float(part_duration),
        "failover_ms_p50": round(1000 * statistics.median(times)),
        "failover_ms_p99": round(1000 * percentile(times, 0.99)),
        "failover_ms_max": round(1000 * max(times)),
        "client_errors": len(errors),
    }
    return result, times


def report(result: dict, times: list[float], json_path: Path | None) -> int:
    """Prints the summary (and writes it with every switch's time to `json_path`); the exit status:
    1 when the client got an error."""
    print(json.dumps(result, indent=2))
    if json_path:
        json_path.write_text(json.dumps({**result, "failover_ms": [round(1000 * t) for t in times]}, indent=2))
    return 1 if result["client_errors"] else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--switches", type=int, default=10, help="failovers measured (default 10)")
    ap.add_argument("--gop", type=int, default=15, help="key-frame interval of both encoders, in frames at 30 fps (default 15)")
    ap.add_argument("--part-duration", default="0.2", help="the server's LL-HLS part target (default 0.2)")
    ap.add_argument("--return-after", default="1", help="--input-return-after of the server (default 1)")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = ap.parse_args()
    result, times = measure(args.switches, args.gop, args.part_duration, args.return_after)
    return report(result, times, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
