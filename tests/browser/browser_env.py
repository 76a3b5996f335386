"""What the browser tests' fixtures (conftest.py) and their helper modules share. Test modules
import these from here, not from `conftest`: several test directories have a conftest.py, and in
one pytest run `conftest` names only one of them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

PLAYLIST_TIMEOUT = float(os.environ.get("ANTENNE_PLAYLIST_TIMEOUT", "30"))

# Logs of the processes alive right now: attached to the report when a test fails.
_ACTIVE_LOGS: dict[str, Path] = {}


def publisher_command(publish_url: str, size: str = "640x360") -> list[str]:
    """Endless test pattern (640x360p30 by default) with a 440 Hz tone; H.264 with B-frames, GOP 2 s."""
    return [
        shutil.which("ffmpeg") or "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning",
        "-re", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30",
        "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        "-bf", "2", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-b:v", "1M",
        "-c:a", "aac", "-b:a", "128k", "-ar", "48000",
        "-f", "flv", publish_url,
    ]


def fresh_tab(driver) -> None:
    """Moves `driver` to a new tab and closes every other: a new tab has no session storage, no
    network emulation and nothing playing from an earlier test."""
    old = driver.window_handles
    driver.switch_to.new_window("tab")
    fresh = driver.current_window_handle
    for handle in old:
        driver.switch_to.window(handle)
        driver.close()
    driver.switch_to.window(fresh)
