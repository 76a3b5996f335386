"""Slate (issue "More ways in and out", item 4), with the real binary ($ANTENNE_BIN), ffmpeg and
ffprobe: a channel with `--slate NAME:card` plays the generated card while no encoder publishes
(ffprobe decodes it), an encoder that starts takes over (a discontinuity), and the card comes
back when it leaves; the client never gets an error.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from antenne_server import antenne_bin, running_antenne  # noqa: E402
from failover_probe import FailoverProbe, variant_playlist  # noqa: E402
from procutil import kill_tree, log_tail, sigkill  # noqa: E402

# The slate's FFmpeg starts and its first segments are packaged within this.
LIVE_TIMEOUT = 40.0


def publish(url: str, log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
             "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30",
             "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
             "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-b:v", "300k",
             "-c:a", "aac", "-b:a", "64k", "-f", "flv", url],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)


def probe_streams(url: str) -> list[dict]:
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-of", "json", url],
                           capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0, probe.stderr
    return json.loads(probe.stdout)["streams"]


def test_a_slate_channel_plays_its_card_and_the_live_takes_over(tmp_path: Path) -> None:
    with running_antenne(antenne_bin(), tmp_path, ["--slate", "demo:card", "--slate-timeout", "60"]) as server:
        playlist = variant_playlist(server.url(f"/hls/{server.channel}"), LIVE_TIMEOUT)
        probe = FailoverProbe(playlist).start()
        primary = None
        try:
            assert probe.wait_for_newest(1, LIVE_TIMEOUT), log_tail(server.log_path)
            streams = probe_streams(server.url(f"/hls/{server.channel}/master.m3u8"))
            video = [s for s in streams if s.get("codec_type") == "video"]
            assert video and video[0]["codec_name"] == "h264" and video[0]["width"] == 1280, streams
            assert any(s.get("codec_name") == "aac" for s in streams), streams
            assert "slate started" in server.log_path.read_text()

            # An encoder starts: it takes over at its first key frame.
            primary = publish(server.publish_url, tmp_path / "ffmpeg.log")
            live = probe.wait_for_switches(1, 20)
            assert live, f"the live input did not take over\n{log_tail(server.log_path)}"
            deadline = time.monotonic() + 10
            while "slate stopped: a live input feeds the channel" not in server.log_path.read_text():
                assert time.monotonic() < deadline, log_tail(server.log_path)
                time.sleep(0.2)

            # It leaves: the card comes back, after a discontinuity, numbers going on.
            sigkill(primary)
            back = probe.wait_for_switches(2, 20)
            assert back, f"the slate did not come back\n{log_tail(server.log_path)}"
            assert back.msn > live.msn
            assert server.log_path.read_text().count("slate started") == 2

            time.sleep(1)
            assert not probe.failures, f"the client got errors: {probe.failures[:10]}"
            assert probe.sequences == sorted(probe.sequences)
        finally:
            probe.stop()
            if primary:
                kill_tree(primary)
