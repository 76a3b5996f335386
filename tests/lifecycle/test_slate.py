"""Slate (issue "More ways in and out", item 4), with the real binary ($ANTENNE_BIN), ffmpeg and
ffprobe: a channel with `--slate NAME:card` plays the generated card while no encoder publishes
(ffprobe decodes it), an encoder that starts takes over (a discontinuity), and the card comes
back when it leaves; the client never gets an error. A slate set through the API
(`PATCH /api/v1/channels/{id}` with `"slate": {"source": "card"}`) starts playing on a channel with
no encoder, and stops when it is set to null.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
import urllib.request
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


ADMIN_TOKEN = "slate-admin-" + secrets.token_hex(8)


def patch_channel(server, channel_id: str, body: dict) -> dict:
    request = urllib.request.Request(
        server.url(f"/api/v1/channels/{channel_id}"), method="PATCH", data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read().decode())


def wait_for_log(server, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while text not in server.log_path.read_text():
        assert time.monotonic() < deadline, f"no '{text}' in the log\n{log_tail(server.log_path)}"
        time.sleep(0.2)


def test_a_slate_set_through_the_api_plays_at_once_and_stops_when_removed(tmp_path: Path) -> None:
    with running_antenne(antenne_bin(), tmp_path, env={"ANTENNE_ADMIN_TOKEN": ADMIN_TOKEN}) as server:
        request = urllib.request.Request(server.url("/api/v1/channels"), headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            channel = next(c for c in json.loads(response.read().decode())["items"] if c["name"] == server.channel)
        assert channel["slate"] is None

        changed = patch_channel(server, channel["id"], {"slate": {"source": "card", "timeoutSeconds": 60}})
        assert changed["slate"] == {"source": "card", "path": None, "timeoutSeconds": 60}, changed
        playlist = variant_playlist(server.url(f"/hls/{server.channel}"), LIVE_TIMEOUT)
        probe = FailoverProbe(playlist).start()
        try:
            assert probe.wait_for_newest(1, LIVE_TIMEOUT), log_tail(server.log_path)
            video = [s for s in probe_streams(server.url(f"/hls/{server.channel}/master.m3u8")) if s.get("codec_type") == "video"]
            assert video and video[0]["width"] == 1280, video
            assert "slate started: slate (card)" in server.log_path.read_text()
            assert not probe.failures, f"the client got errors: {probe.failures[:10]}"
        finally:
            probe.stop()

        assert patch_channel(server, channel["id"], {"slate": None})["slate"] is None
        wait_for_log(server, "slate stopped: nothing to play", 10)
