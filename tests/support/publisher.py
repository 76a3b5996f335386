"""A live publisher for the Python tests: real ffmpeg, an endless test pattern with a tone."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence


def publisher(urls: Sequence[str], size: str = "320x240") -> subprocess.Popen:
    """An endless `size` p30 test pattern with a tone, key frames every 2 s, published to every
    RTMP URL at once (one encoder: every channel or origin gets the same stream)."""
    # The tee muxer does not ask the encoders for global headers as flv does: without them, FLV
    # carries no sequence headers.
    output = ["-f", "flv", urls[0]] if len(urls) == 1 else [
        "-flags", "+global_header", "-f", "tee", "|".join(f"[f=flv]{url}" for url in urls)]
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
         "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30", "-f", "lavfi", "-i", "sine=sample_rate=48000",
         "-map", "0:v", "-map", "1:a",
         "-c:v", "libx264", "-preset", "ultrafast", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0",
         "-c:a", "aac", *output],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
