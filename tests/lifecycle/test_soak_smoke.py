"""A short run of bench/soak.py: publishers reconnecting, viewers joining and leaving, a slow and a
paused reader, an archive on disk. The hour-long run is the benchmark; this one checks that the
churn causes no error and no stalled channel, and that the soak still runs."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_a_minute_of_churn_has_no_error_and_no_stall():
    binary = os.environ.get("ANTENNE_BIN", str(REPO / ".build" / "debug" / "antenne"))
    run = subprocess.run(
        [sys.executable, str(REPO / "bench" / "soak.py"), "--duration", "45", "--channels", "3", "--viewers", "4",
         "--slow", "1", "--antenne-bin", binary],
        capture_output=True, text=True, timeout=240)
    report = run.stdout + "\n" + run.stderr[-3000:]
    assert run.returncode == 0, report
    table = dict(line.rsplit(None, 1) for line in run.stdout.splitlines()
                 if line and not line.startswith(("Soak", "figure", "  ")) and len(line.split()) >= 2)
    assert int(table["publishes"]) >= 6, report
    assert int(table["requests"]) > 100, report
    assert table["errors"] == "0" and table["stalled channels"] == "none", report
