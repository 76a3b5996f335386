"""An encoder with two audio languages, and the tone each rendition plays back: shared by the
browser test of the player's language menu and the SRT ingest tests (a ladder channel).

English is a 440 Hz tone and French an 880 Hz one, each in its own AAC programme of the MPEG-TS,
with the ISO 639 language descriptor ffmpeg writes from `-metadata:s:a:N language=`."""

from __future__ import annotations

import subprocess
from array import array

TONES = {"eng": 440, "fra": 880}


def two_languages_command(url: str) -> list[str]:
    """ffmpeg publishing a live test pattern (H.264) and both languages (AAC) as MPEG-TS to `url`."""
    return [
        "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning",
        "-re", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
        "-re", "-f", "lavfi", "-i", f"sine=frequency={TONES['eng']}:sample_rate=48000",
        "-re", "-f", "lavfi", "-i", f"sine=frequency={TONES['fra']}:sample_rate=48000",
        "-map", "0:v", "-map", "1:a", "-map", "2:a",
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-b:v", "300k",
        "-c:a", "aac", "-b:a", "64k", "-ac", "2",
        "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=fra",
        "-f", "mpegts", url,
    ]


def tone(samples: array, rate: int = 48_000) -> float:
    """The frequency of a pure tone, from its rising zero crossings."""
    crossings = [i for i in range(1, len(samples)) if samples[i - 1] < 0 <= samples[i]]
    assert len(crossings) > 10, "no tone"
    return (len(crossings) - 1) * rate / (crossings[-1] - crossings[0])


def rendition_tone(playlist_url: str, seconds: float = 1.0) -> float:
    """The tone ffmpeg decodes from an audio rendition's media playlist."""
    decoded = subprocess.run(["ffmpeg", "-v", "error", "-i", playlist_url, "-t", str(seconds), "-ac", "1", "-ar", "48000",
                              "-f", "f32le", "-"], capture_output=True, timeout=30)
    assert decoded.returncode == 0, decoded.stderr.decode()
    samples = array("f", decoded.stdout)
    assert len(samples) > 48_000 * seconds / 2, f"{len(samples)} samples"
    return tone(samples)


def rendition_language(playlist_url: str) -> list[str]:
    """`codec,language` of each track ffprobe finds in a rendition's init segment (its `mdhd`
    language: FFmpeg's HLS reader does not pass it on from the playlist)."""
    init = playlist_url.rsplit("/", 1)[0] + "/init.mp4"
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name:stream_tags=language", "-of", "csv=p=0",
                            init], capture_output=True, text=True, timeout=30)
    assert probe.returncode == 0, probe.stderr
    return [line for line in probe.stdout.split() if "," in line]
