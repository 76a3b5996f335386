"""Monitoring (issue "Run it at 3 a.m.", items 2 and 3): a real `antenne serve` with a live,
transcoded channel exposes a /metrics page that `promtool check metrics` finds clean, with the
ingest's bitrate and frame rate as ffmpeg sends them, the channel's viewers, the 404s counted, an
SRT publisher's link, a failing restream destination, and every metric deploy/prometheus/alerts.yml
and deploy/grafana/antenne.json use. The alerts pass `promtool check rules` and their unit tests.

The real binary ($ANTENNE_BIN), real ffmpeg and promtool (Debian package `prometheus`).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from antenne_server import REPO_ROOT, antenne_bin, running_antenne  # noqa: E402
from procutil import free_port, kill_tree, log_tail, wait_for_status  # noqa: E402

DEPLOY = REPO_ROOT / "deploy"
ALERTS = DEPLOY / "prometheus" / "alerts.yml"
ALERTS_TEST = DEPLOY / "prometheus" / "alerts_test.yml"
DASHBOARD = DEPLOY / "grafana" / "antenne.json"
PROMTOOL = shutil.which("promtool")

# What ffmpeg is told to send: 30 fps, a key frame every 2 s, 800 kbit/s of video and 64 kbit/s
# of audio.
FPS = 30
VIDEO_BPS = 800_000
AUDIO_BPS = 64_000
# The channel plays (ffmpeg connected, the transcoder's first segments out) within this.
LIVE_TIMEOUT = 60.0
AGENT = "antenne-ops-test"

needs_promtool = pytest.mark.skipif(PROMTOOL is None, reason="promtool (Debian package prometheus) is not installed")

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def samples(page: str) -> list[tuple[str, dict[str, str], float]]:
    """(name, labels, value) of every sample line of an exposition."""
    found = []
    for line in page.splitlines():
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        assert match, f"not a sample line: {line!r}"
        labels = dict(LABEL.findall(match.group(3) or ""))
        found.append((match.group(1), labels, float(match.group(4))))
    return found


def value(page: str, name: str, **labels: str) -> float | None:
    """The value of the one series `name` with (at least) `labels`; None when there is none."""
    matching = [v for n, l, v in samples(page) if n == name and all(l.get(k) == want for k, want in labels.items())]
    assert len(matching) <= 1, f"{name}{labels}: {len(matching)} series"
    return matching[0] if matching else None


def fetch(url: str, timeout: float = 15, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers={"User-Agent": AGENT, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def used_metric_names() -> set[str]:
    """Every metric name the alerts and the dashboard's queries use."""
    text = ALERTS.read_text()
    dashboard = json.loads(DASHBOARD.read_text())
    queries = []

    def walk(node):
        if isinstance(node, dict):
            for key, item in node.items():
                if key in ("expr", "query", "definition") and isinstance(item, str):
                    queries.append(item)
                else:
                    walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(dashboard)
    names = set(re.findall(r"\bantenne_[a-z0-9_]+", text + "\n" + "\n".join(queries)))
    assert names, "no metric found in the alerts and the dashboard"
    return names


def publish(url: str, log: Path, container: str = "flv") -> subprocess.Popen:
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
         "-f", "lavfi", "-i", f"testsrc2=size=426x240:rate={FPS}", "-f", "lavfi", "-i", "sine=sample_rate=48000",
         "-c:v", "libx264", "-preset", "ultrafast", "-g", str(2 * FPS), "-keyint_min", str(2 * FPS), "-sc_threshold", "0",
         "-b:v", str(VIDEO_BPS), "-maxrate", str(VIDEO_BPS), "-bufsize", str(2 * VIDEO_BPS),
         "-c:a", "aac", "-b:a", str(AUDIO_BPS), "-f", container, url],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(log, "wb"), start_new_session=True)


def watch(server, rendition_path: str) -> None:
    """What a player does: the media playlist, a blocking reload, an init segment and the
    newest parts and segment."""
    status, body = fetch(server.url(rendition_path + "index.m3u8"))
    assert status == 200, body
    playlist = body.decode()
    parts = re.findall(r'#EXT-X-PART:[^\n]*URI="([^"]+)"', playlist)
    segments = [line for line in playlist.splitlines() if line.endswith(".m4s") and not line.startswith("#")]
    assert parts and segments, playlist
    last = int(segments[-1].split(".")[0])
    status, _ = fetch(server.url(rendition_path + f"index.m3u8?_HLS_msn={last + 1}"))
    assert status == 200
    assert fetch(server.url(rendition_path + "init.mp4"))[0] == 200
    for uri in parts[-3:] + segments[-1:]:
        assert fetch(server.url(rendition_path + uri))[0] == 200, uri


@needs_promtool
def test_the_alerts_pass_promtool() -> None:
    checked = subprocess.run([PROMTOOL, "check", "rules", str(ALERTS)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = subprocess.run([PROMTOOL, "test", "rules", str(ALERTS_TEST)], capture_output=True, text=True, cwd=ALERTS_TEST.parent)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "SUCCESS" in tested.stdout, tested.stdout


@needs_promtool
def test_the_metrics_of_a_live_channel(tmp_path: Path) -> None:
    # A second channel, `feed`, published over SRT and restreamed to a port where nothing listens:
    # its SRT link's and its failing destination's series are on the page too.
    feed_key = "feed-" + secrets.token_hex(8)
    config = tmp_path / "antenne.json"
    config.write_text(json.dumps({"channels": [{
        "name": "feed", "streamKey": feed_key,
        "restream": [{"url": f"rtmp://127.0.0.1:{free_port()}/live", "streamKey": "nowhere"}]}]}))
    with running_antenne(antenne_bin(), tmp_path, ["--ladder", "mobile", "--config", str(config)]) as server:
        ffmpeg_log = tmp_path / "ffmpeg.log"
        ffmpeg = publish(server.publish_url, ffmpeg_log)
        feed_log = tmp_path / "ffmpeg-srt.log"
        feed = publish(f"srt://127.0.0.1:{server.srt_port}?streamid=publish:{feed_key}", feed_log, container="mpegts")
        try:
            wait_for_status(server.url("/hls/demo/master.m3u8"), 200, LIVE_TIMEOUT, [server.process, ffmpeg], "demo master playlist")
            master = fetch(server.url("/hls/demo/master.m3u8"))[1].decode()
            video = next(line for line in master.splitlines() if line.endswith("index.m3u8") and not line.startswith("#"))
            rendition = video.split("/")[0]
            # Five key-frame intervals measured: 10 s of media after the first key frame.
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                page = fetch(server.url("/metrics"))[1].decode()
                if (value(page, "antenne_ingest_video_frames_total", channel="demo") or 0) > 11 * FPS:
                    break
                time.sleep(1)
            watch(server, f"/hls/demo/{video.rsplit('/', 1)[0]}/")
            assert fetch(server.url("/hls/demo/nothing/99999.m4s"))[0] == 404
            assert fetch(server.url("/no/such/page"))[0] == 404
            report = {"channel": "demo", "startupMs": 420, "stalls": 1, "stallMs": 300, "latency": 1.5, "bitrate": 700_000}
            status, body = fetch(server.url("/player/beacon"), data=json.dumps(report).encode(),
                                 headers={"Content-Type": "application/json"})
            assert status == 204, body
            status, body = fetch(server.url("/metrics"))
            assert status == 200
            page = body.decode()
            (tmp_path / "metrics.txt").write_text(page)

            checked = subprocess.run([PROMTOOL, "check", "metrics"], input=page, capture_output=True, text=True)
            assert checked.returncode == 0 and not checked.stdout.strip() and not checked.stderr.strip(), \
                checked.stdout + checked.stderr

            bitrate = value(page, "antenne_ingest_bitrate_bps", channel="demo")
            fps = value(page, "antenne_ingest_frames_per_second", channel="demo")
            interval = value(page, "antenne_ingest_keyframe_interval_seconds", channel="demo")
            told = VIDEO_BPS + AUDIO_BPS
            print(f"ingest: {bitrate} bit/s (told {told}), {fps} fps, key frames every {interval} s")
            assert bitrate is not None and told / 2 <= bitrate <= told * 2, bitrate
            assert fps is not None and abs(fps - FPS) <= 1, fps
            assert interval is not None and abs(interval - 2) <= 0.1, interval
            assert value(page, "antenne_ingest_connects_total", protocol="rtmp") == 1
            assert value(page, "antenne_ingest_disconnects_total", protocol="rtmp") == 0

            viewers = value(page, "antenne_playback_channel_viewers", channel="demo")
            assert viewers is not None and viewers >= 1, viewers
            assert (value(page, "antenne_playback_viewers", channel="demo", rendition=rendition) or 0) >= 1
            assert (value(page, "antenne_playback_channel_sent_bytes_total", channel="demo") or 0) > 0
            assert (value(page, "antenne_playback_responses_total", kind="segment", status="4xx") or 0) >= 1
            assert (value(page, "antenne_http_responses_total", route="other", status="4xx") or 0) >= 1
            assert (value(page, "antenne_playback_responses_total", kind="blockingReload", status="2xx") or 0) >= 1
            assert (value(page, "antenne_data_filesystem_free_bytes") or 0) > 0

            # The SRT publish and the destination it cannot reach: retried, and never up.
            deadline = time.monotonic() + LIVE_TIMEOUT
            while time.monotonic() < deadline:
                page = fetch(server.url("/metrics"))[1].decode()
                if (value(page, "antenne_srt_packets_received_total", channel="feed") or 0) > 0 \
                        and (value(page, "antenne_restream_restarts_total", channel="feed") or 0) >= 1:
                    break
                time.sleep(1)
            assert value(page, "antenne_ingest_connects_total", protocol="srt") == 1, log_tail(server.log_path)
            assert value(page, "antenne_channel_input_active", channel="feed", input="primary") == 1
            assert value(page, "antenne_channel_input_active", channel="feed", input="backup") == 0
            assert (value(page, "antenne_srt_packets_received_total", channel="feed") or 0) > 0, log_tail(server.log_path)
            assert (value(page, "antenne_srt_latency_seconds", channel="feed") or 0) > 0
            assert value(page, "antenne_restream_up", channel="feed") == 0
            assert (value(page, "antenne_restream_restarts_total", channel="feed") or 0) >= 1, log_tail(server.log_path)
            assert "nowhere" not in page, "a destination's stream key is on /metrics"

            on_page = {name for name, _, _ in samples(page)}
            missing = sorted(used_metric_names() - on_page)
            assert not missing, f"used by the alerts or the dashboard but not on /metrics: {missing}"

            # The RTMP encoder goes, and the SRT feed's encoder dies: both publishes end and are
            # counted once; the feed's is lost.
            kill_tree(ffmpeg)
            feed.kill()
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                page = fetch(server.url("/metrics"))[1].decode()
                if value(page, "antenne_ingest_disconnects_total", protocol="rtmp") == 1 \
                        and value(page, "antenne_ingest_disconnects_total", protocol="srt") == 1:
                    break
                time.sleep(0.5)
            assert value(page, "antenne_ingest_disconnects_total", protocol="rtmp") == 1, log_tail(server.log_path)
            assert value(page, "antenne_channel_live", channel="demo") == 0
            assert value(page, "antenne_ingest_bitrate_bps", channel="demo") is None
            assert value(page, "antenne_ingest_disconnects_total", protocol="srt") == 1, log_tail(server.log_path)
            assert value(page, "antenne_channel_publish_lost", channel="feed") == 1
            assert value(page, "antenne_ingest_lost_total", protocol="srt") == 1
        finally:
            kill_tree(ffmpeg)
            kill_tree(feed)
            for log in (ffmpeg_log, feed_log):
                if log.exists() and log.stat().st_size:
                    print(log.name, log.read_text(errors="replace")[-2000:])
