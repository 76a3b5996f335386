"""Identical origins (issue "Scale out delivery", item 1; docs/NUMBERING.md): given the same input
timestamps, two origins give the same content the same segment and part numbers, boundaries and
bytes, whenever they started, and a client that alternates origins on every request plays.

- Two origins fed by one encoder through ffmpeg's tee muxer: their playlists are the same but for
  EXT-X-PROGRAM-DATE-TIME, and every init segment, segment and part both list has the same bytes,
  for the source and its audio (passthrough) and for the transcoded audio (the `mobile` ladder:
  one FFmpeg per origin, fed the same samples from the same start). The transcoded video rungs
  have the same numbers, boundaries, durations and init segments, not the same bytes: libx264
  with `-tune zerolatency` (sliced threads) under VBV is not deterministic (docs/NUMBERING.md).
- A client fetching init and consecutive segments alternately from both decodes without error.
- An origin that joins a running session (a second publisher reading the same recording from
  7.5 s on, with its timestamps kept) opens on the first key frame at or after a grid point, with
  the number and the bytes the first origin gave that segment.

The real binary ($ANTENNE_BIN) and real ffmpeg/ffprobe.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from antenne_server import antenne_bin, running_antenne  # noqa: E402
from procutil import log_tail  # noqa: E402

# Seconds of media each publisher sends: seven 2 s segments and a bit.
DURATION = 15
# A publish ends, and both origins have packaged all of it, within this.
PUBLISH_TIMEOUT = DURATION + 45



def encode(gop: int) -> list[str]:
    """H.264 with a key frame every `gop` frames exactly, and AAC."""
    return ["-c:v", "libx264", "-preset", "ultrafast", "-g", str(gop), "-keyint_min", str(gop), "-sc_threshold", "0",
            "-c:a", "aac", "-b:a", "96k"]


TEST_SOURCE = ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=sample_rate=48000"]


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def text(url: str) -> str:
    return get(url).decode()


def fetch(url: str) -> tuple[int, bytes]:
    """Status and body, for an answer that may be a 404."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def run_publisher(args: list[str]) -> None:
    """Runs an ffmpeg publisher to its end; fails the test with its output if it fails."""
    done = subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", *args],
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=PUBLISH_TIMEOUT)
    assert done.returncode == 0, done.stderr.decode(errors="replace")


def renditions(server) -> list[str]:
    """The renditions the multivariant playlist lists: its variants' and its audio group's URIs."""
    master = text(server.url("/hls/demo/master.m3u8"))
    uris = re.findall(r'URI="([^"/]+)/index\.m3u8', master) + re.findall(r"^([^#\s/]+)/index\.m3u8", master, re.M)
    return sorted(set(uris))


def without_date_times(playlist: str) -> list[str]:
    return [line for line in playlist.splitlines() if not line.startswith("#EXT-X-PROGRAM-DATE-TIME")]


def compare_media(servers, rendition: str, playlist: str, same_bytes: bool = True) -> tuple[int, int]:
    """Fetches the init segments, the segments and the parts the ended playlist lists (its
    segments' parts while the origins still serve them) from both origins and expects the same
    answers (but for the media bytes when not `same_bytes`); returns how many files were
    compared and how many were identical."""
    uris = re.findall(r'#EXT-X-MAP:URI="([^"]+)"', playlist)
    for msn in segments(playlist):
        uris.append(f"{msn}.m4s")
        for index in range(64):
            uris.append(f"{msn}.{index}.m4s")
            if fetch(servers[0].url(f"/hls/demo/{rendition}/{msn}.{index}.m4s"))[0] != 200:
                break
    identical = 0
    for uri in uris:
        first, second = (fetch(server.url(f"/hls/demo/{rendition}/{uri}")) for server in servers)
        assert first[0] == second[0], f"{rendition}/{uri}: status {first[0]} and {second[0]}"
        if same_bytes or uri.startswith("init"):
            assert first[1] == second[1], f"{rendition}/{uri}: {len(first[1])} and {len(second[1])} bytes differ"
        identical += first[1] == second[1]
    return len(uris), identical


def segments(playlist: str) -> list[int]:
    return [int(m) for m in re.findall(r"^(\d+)\.m4s$", playlist, re.M)]


def wait_until_ended(servers, renditions: list[str], timeout: float) -> list[dict[str, str]]:
    """Each server's playlists of `renditions` once their publishes have ended (the publishers
    have exited): when none of them changes any more. All are read in each round, so that the
    wait for them to settle is one, not one per playlist."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            playlists = [{rendition: text(server.url(f"/hls/demo/{rendition}/index.m3u8")) for rendition in renditions}
                         for server in servers]
        except (urllib.error.URLError, OSError):
            playlists = None
        if playlists is not None and playlists == last:
            return playlists
        last = playlists
        time.sleep(2)
    raise AssertionError(f"{renditions} did not end within {timeout:.0f} s: {last}\n"
                         + "\n".join(log_tail(server.log_path) for server in servers))


def alternate_and_decode(servers, rendition: str, playlist: str, out: Path) -> int:
    """Init and every segment, each from the next origin in turn, into one file that ffmpeg
    decodes; returns the number of segments."""
    msns = segments(playlist)
    init = re.search(r'#EXT-X-MAP:URI="([^"]+)"', playlist).group(1)
    data = get(servers[0].url(f"/hls/demo/{rendition}/{init}"))
    for i, msn in enumerate(msns):
        data += get(servers[(i + 1) % 2].url(f"/hls/demo/{rendition}/{msn}.m4s"))
    out.write_bytes(data)
    decoded = subprocess.run(["ffmpeg", "-hide_banner", "-v", "error", "-xerror", "-i", str(out), "-f", "null", "-"],
                             capture_output=True, timeout=60)
    assert decoded.returncode == 0 and not decoded.stderr, decoded.stderr.decode(errors="replace")
    return len(msns)


@pytest.mark.parametrize("ladder", ["passthrough", "mobile"])
def test_two_origins_fed_by_one_encoder_are_identical(ladder: str, tmp_path: Path) -> None:
    with ExitStack() as stack:
        servers = [stack.enter_context(running_antenne(antenne_bin(), tmp_path / name, ["--ladder", ladder]))
                   for name in ("a", "b")]
        tee = "|".join(f"[f=flv]{server.publish_url}" for server in servers)
        run_publisher(["-re", *TEST_SOURCE, "-t", str(DURATION), *encode(60), "-flags", "+global_header",
                       "-map", "0:v", "-map", "1:a", "-f", "tee", tee])

        names = renditions(servers[0])
        assert names == renditions(servers[1])
        assert "audio" in names and len(names) >= 2, names
        ended = wait_until_ended(servers, names, PUBLISH_TIMEOUT)
        for rendition in names:
            a, b = (playlists[rendition] for playlists in ended)
            assert without_date_times(a) == without_date_times(b), f"{rendition}:\n{a}\n---\n{b}"
            assert len(segments(a)) >= DURATION // 2 - 1, a
            transcoded_video = rendition not in ("source", "audio")
            files, identical = compare_media(servers, rendition, a, same_bytes=not transcoded_video)
            count = alternate_and_decode(servers, rendition, a, tmp_path / f"{rendition}.mp4")
            print(f"{ladder} {rendition}: {count} segments, {identical} of {files} files identical on both origins")


def test_an_origin_that_joins_later_gives_the_same_segments(tmp_path: Path) -> None:
    recording = tmp_path / "recording.flv"
    # A recording with a key frame every second, so that the late publisher starts mid-period.
    run_publisher([*TEST_SOURCE, "-t", str(DURATION), *encode(30), "-f", "flv", str(recording)])
    with ExitStack() as stack:
        early, late = (stack.enter_context(running_antenne(antenne_bin(), tmp_path / name)) for name in ("a", "b"))
        # Both read the recording in real time with its timestamps; the late one from 7.5 s on
        # (ffmpeg starts on the key frame before, at 7 s: inside grid period 3).
        publishers = [
            subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re", *skip,
                              "-i", str(recording), "-c", "copy", "-copyts", "-f", "flv", server.publish_url],
                             stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for server, skip in ((early, []), (late, ["-ss", "7.5"]))
        ]
        for publisher in publishers:
            _, err = publisher.communicate(timeout=PUBLISH_TIMEOUT)
            assert publisher.returncode == 0, err.decode(errors="replace")

        early_ended, late_ended = wait_until_ended([early, late], ["source", "audio"], PUBLISH_TIMEOUT)
        a, b = early_ended["source"], late_ended["source"]
        early_msns, late_msns = segments(a), segments(b)
        # The late origin waits for the first key frame at or after 8 s: segment 4 on both.
        assert late_msns and late_msns[0] == 4, b
        assert set(late_msns) <= set(early_msns), (a, b)
        assert len(late_msns) >= 3, b
        assert get(early.url("/hls/demo/source/init.mp4")) == get(late.url("/hls/demo/source/init.mp4"))
        for msn in late_msns:
            first = get(early.url(f"/hls/demo/source/{msn}.m4s"))
            second = get(late.url(f"/hls/demo/source/{msn}.m4s"))
            assert first == second, f"source/{msn}.m4s: {len(first)} and {len(second)} bytes differ"
        # Audio: the same numbers; its bytes may differ by a sub-millisecond tfdt (docs/NUMBERING.md).
        audio = segments(late_ended["audio"])
        assert audio[0] == 4 and set(audio) <= set(segments(early_ended["audio"]))
        same_audio = sum(get(early.url(f"/hls/demo/audio/{msn}.m4s")) == get(late.url(f"/hls/demo/audio/{msn}.m4s"))
                         for msn in audio)
        print(f"late origin: source segments {late_msns} identical; audio {same_audio}/{len(audio)} identical")
        alternate_and_decode([early, late], "source", b, tmp_path / "late-source.mp4")
