"""A short run of bench/player.py: glass-to-glass read back from the picture with tesseract and
channel changes timed in Chromium. Its figures are printed, not asserted; the run must read the
clock and time the changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "player.py"


def test_player_benchmark_smoke(antenne_path):
    for tool in ("tesseract", "ffmpeg", "chromium", "chromedriver"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not installed")
    run = subprocess.run([sys.executable, str(BENCH), "--smoke"], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "ANTENNE_BIN": str(antenne_path)})
    table = run.stdout[run.stdout.find("loopback"):]
    assert run.returncode == 0, f"{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    assert "Antenne (MSE)" in table and "n/a" not in table.split("Antenne (MSE)")[1].splitlines()[0], table
    print("\n" + table)
