"""File playout (issue "More ways in and out", item 5), with the real binary ($ANTENNE_BIN), ffmpeg
and ffprobe: a channel fed from an mp4 of `--media-dir` (`--playout NAME:FILE`), looped in real
time, plays through several loops without an error; a path that leaves the media directory is
refused at start. A two-file schedule made through the API plays through its transition (a
discontinuity, both files decoded), picks up where the clock says after a restart, and refuses
paths that leave the media directory and starts out of order.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from antenne_server import AntenneStartError, antenne_bin, running_antenne  # noqa: E402
from failover_probe import FailoverProbe, get, variant_playlist  # noqa: E402
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


ADMIN_TOKEN = "playout-admin-" + secrets.token_hex(8)


def make_colour_clip(path: Path, colour: str, seconds: int) -> None:
    """A clip of one colour, so that a decoded frame tells which file played."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
                    "-f", "lavfi", "-i", f"color=c={colour}:size=320x180:rate=30:duration={seconds}",
                    "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
                    "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-c:a", "aac", "-y", str(path)],
                   check=True, timeout=60)


def api(server, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        server.url("/api/v1/" + path), method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return response.status, json.loads(text) if text else {}
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode() or "{}")


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def segment_colour(playlist: str, msn: int) -> str:
    """Which of red and blue the first frame of segment `msn` is, decoded by ffmpeg from the
    init segment and the segment."""
    status, init = get(urllib.parse.urljoin(playlist, "init.mp4"))
    assert status == 200, status
    status, segment = get(urllib.parse.urljoin(playlist, f"{msn}.m4s"))
    assert status == 200, (msn, status)
    decoded = subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", "pipe:0", "-frames:v", "1",
                              "-vf", "scale=1:1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
                             input=init + segment, capture_output=True, timeout=60)
    assert decoded.returncode == 0 and len(decoded.stdout) == 3, decoded.stderr
    red, _, blue = decoded.stdout
    return "red" if red > blue else "blue"


def newest_segment(playlist: str) -> int:
    status, body = get(playlist)
    assert status == 200, status
    numbers = [int(line.split(".")[0]) for line in body.decode().splitlines() if line.endswith(".m4s") and not line.startswith("#")]
    assert numbers, body
    return numbers[-1]


def test_a_schedule_plays_through_a_transition_and_picks_up_after_a_restart(tmp_path: Path) -> None:
    media = tmp_path / "media"
    make_colour_clip(media / "red.mp4", "red", 3)
    make_colour_clip(media / "blue.mp4", "blue", 3)
    make_clip(tmp_path / "outside.mp4")
    args = ["--media-dir", str(media)]
    env = {"ANTENNE_ADMIN_TOKEN": ADMIN_TOKEN}
    with running_antenne(antenne_bin(), tmp_path / "server", args, env=env) as server:
        channel = next(c for c in api(server, "GET", "channels")[1]["items"] if c["name"] == server.channel)
        schedule = f"channels/{channel['id']}/schedule"
        now = datetime.now(timezone.utc)
        for bad in [[{"path": "../outside.mp4", "startsAt": rfc3339(now)}],
                    [{"path": str(tmp_path / "outside.mp4"), "startsAt": rfc3339(now)}],
                    [{"path": "missing.mp4", "startsAt": rfc3339(now)}],
                    [{"path": "red.mp4", "startsAt": rfc3339(now + timedelta(seconds=5))},
                     {"path": "blue.mp4", "startsAt": rfc3339(now)}]]:
            status, answer = api(server, "PUT", schedule, {"items": bad})
            assert status == 400 and answer["error"]["field"].startswith("items[") , (bad, status, answer)
        assert api(server, "GET", schedule)[1]["items"] == []

        red_at, blue_at = now + timedelta(seconds=3), now + timedelta(seconds=17)
        items = [{"path": "red.mp4", "startsAt": rfc3339(red_at)}, {"path": "blue.mp4", "startsAt": rfc3339(blue_at)}]
        status, answer = api(server, "PUT", schedule, {"items": items})
        assert status == 200 and [i["path"] for i in answer["items"]] == ["red.mp4", "blue.mp4"], answer

        playlist = variant_playlist(server.url(f"/hls/{server.channel}"), LIVE_TIMEOUT)
        probe = FailoverProbe(playlist).start()
        try:
            assert probe.wait_for_newest(1, LIVE_TIMEOUT), log_tail(server.log_path)
            before = probe.newest
            # At blue's start the player is replaced: the slate input's publish ends, a new one begins.
            deadline = time.monotonic() + 40
            switch = None
            while switch is None and time.monotonic() < deadline:
                switch = next((seen for seen in probe.switches if seen.msn > before), None)
                time.sleep(0.1)
            assert switch, f"no discontinuity at the transition\n{log_tail(server.log_path)}"
            assert probe.wait_for_newest(switch.msn + 1, 20), log_tail(server.log_path)
            assert segment_colour(playlist, before) == "red"
            assert segment_colour(playlist, switch.msn) == "blue"
            assert not probe.failures, f"the client got errors: {probe.failures[:10]}"
            log = server.log_path.read_text()
            assert "slate started: schedule item 0 (red.mp4)" in log and "slate started: schedule item 1 (blue.mp4)" in log, log_tail(server.log_path)
        finally:
            probe.stop()

    # Restarted: blue's start has passed, so blue plays again, from where the clock says.
    with running_antenne(antenne_bin(), tmp_path / "server", args, env=env) as server:
        assert api(server, "GET", schedule)[1]["items"] == answer["items"]
        playlist = variant_playlist(server.url(f"/hls/{server.channel}"), LIVE_TIMEOUT)
        deadline = time.monotonic() + LIVE_TIMEOUT
        while "slate started: schedule item 1 (blue.mp4)" not in server.log_path.read_text():
            assert time.monotonic() < deadline, log_tail(server.log_path)
            time.sleep(0.2)
        assert segment_colour(playlist, newest_segment(playlist)) == "blue"
        assert api(server, "DELETE", schedule)[0] == 204
        deadline = time.monotonic() + 10
        while "slate stopped: nothing to play" not in server.log_path.read_text():
            assert time.monotonic() < deadline, log_tail(server.log_path)
            time.sleep(0.2)
