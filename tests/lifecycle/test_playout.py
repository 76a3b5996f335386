"""File playout (issue "More ways in and out", item 5), with the real binary ($ANTENNE_BIN), ffmpeg
and ffprobe: a channel fed from an mp4 of `--media-dir` (`--playout NAME:FILE`), looped in real
time, plays through several loops without an error; a path that leaves the media directory is
refused at start.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from antenne_server import AntenneStartError, antenne_bin, running_antenne  # noqa: E402
from failover_probe import FailoverProbe, variant_playlist  # noqa: E402
from procutil import log_tail  # noqa: E402

LIVE_TIMEOUT = 40.0
# The file is this long; the test plays more than three loops of it.
CLIP_SECONDS = 2


def make_clip(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
                    "-f", "lavfi", "-i", f"testsrc2=size=320x180:rate=30:duration={CLIP_SECONDS}",
                    "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={CLIP_SECONDS}",
                    "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-y", str(path)],
                   check=True, timeout=60)


def test_a_looped_mp4_channel_plays_through_its_loops(tmp_path: Path) -> None:
    media = tmp_path / "media"
    make_clip(media / "clips" / "loop.mp4")
    with running_antenne(antenne_bin(), tmp_path / "server",
                         ["--media-dir", str(media), "--playout", "demo:clips/loop.mp4"]) as server:
        playlist = variant_playlist(server.url(f"/hls/{server.channel}"), LIVE_TIMEOUT)
        probe = FailoverProbe(playlist).start()
        try:
            assert probe.wait_for_newest(1, LIVE_TIMEOUT), log_tail(server.log_path)
            first = probe.newest
            # 2 s segments: four more segments are more than three loops of the clip.
            assert probe.wait_for_newest(first + 4, 30), log_tail(server.log_path)
            streams = json.loads(subprocess.run(
                ["ffprobe", "-v", "error", "-show_streams", "-of", "json", server.url(f"/hls/{server.channel}/master.m3u8")],
                capture_output=True, text=True, timeout=60, check=True).stdout)["streams"]
            assert {"h264", "aac"} <= {s.get("codec_name") for s in streams}, streams
            assert not probe.failures, f"the client got errors: {probe.failures[:10]}"
            assert "slate ffmpeg exited" not in server.log_path.read_text(), log_tail(server.log_path)
        finally:
            probe.stop()


def test_a_playout_path_that_leaves_the_media_directory_is_refused(tmp_path: Path) -> None:
    media = tmp_path / "media"
    make_clip(tmp_path / "outside.mp4")
    media.mkdir()
    (media / "link.mp4").symlink_to(tmp_path / "outside.mp4")
    for path in ["../outside.mp4", str(tmp_path / "outside.mp4"), "link.mp4"]:
        try:
            with running_antenne(antenne_bin(), tmp_path / "server", ["--media-dir", str(media), "--playout", f"demo:{path}"]):
                raise AssertionError(f"the server started with --playout demo:{path}")
        except AntenneStartError as error:
            assert "media-dir" in str(error), str(error)
