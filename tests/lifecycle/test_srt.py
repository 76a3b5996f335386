"""SRT ingest (issue "More ways in and out", item 1): ffmpeg publishes MPEG-TS over SRT to
`srt://HOST:PORT?streamid=publish:KEY` (and the `#!::r=live/KEY,m=publish` form), with and without
an AES passphrase, and ffprobe decodes the channel's HLS. A wrong key, a bad stream id and garbage
UDP datagrams on the port are refused or ignored while another channel keeps playing. An SCTE-35
cue in the TS becomes an ad break in the playlists (issue 18, item 5).

The real binary ($ANTENNE_BIN) and Debian's ffmpeg, which is built with libsrt.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))

from antenne_server import AntenneServer, antenne_bin, running_antenne  # noqa: E402
from audio_languages import TONES, rendition_language, rendition_tone, two_languages_command  # noqa: E402
from procutil import kill_tree, log_tail, wait_for_status  # noqa: E402
from scte35_ts import CLOCK, PACKET, CueInjector  # noqa: E402

# A publish reaches its first playable segment within this (2 s segments, ffmpeg's start-up).
LIVE_TIMEOUT = 40.0
# A refused caller gives up within this: libsrt's connect timeout is 3 s.
REFUSED_WITHIN = 15.0
PASSPHRASE = "antenne-srt-passphrase"
ADMIN_TOKEN = "srt-admin-" + secrets.token_hex(8)

pytestmark = pytest.mark.skipif(
    b"srt" not in subprocess.run(["ffmpeg", "-hide_banner", "-protocols"], capture_output=True).stdout,
    reason="this ffmpeg has no SRT protocol")


def srt_url(server: AntenneServer, stream_id: str, **options: str) -> str:
    """Options as ffmpeg's libsrt protocol reads them: `key=value` pairs split on `&` only, and
    not percent-decoded by Debian 12's ffmpeg 5.1, so the stream id goes in as it is."""
    query = "&".join(f"{key}={value}" for key, value in {"streamid": stream_id, **options}.items())
    return f"srt://127.0.0.1:{server.srt_port}?{query}"


def publish(url: str, seconds: float | None = None, audio: str = "aac") -> subprocess.Popen:
    """ffmpeg pushing a live test pattern with a tone, as an encoder would: H.264 + AAC (or `audio`:
    `libopus`) in MPEG-TS."""
    duration = ["-t", str(seconds)] if seconds else []
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", *duration,
         "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-b:v", "300k",
         "-c:a", audio, "-b:a", "64k", "-f", "mpegts", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def live_status(server: AntenneServer, channel: str) -> dict:
    """`GET /api/v1/channels/{id}/live` of the channel named `channel`."""
    def api(path: str) -> dict:
        request = urllib.request.Request(server.url("/api/v1/" + path), headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read().decode())
    channel_id = next(c["id"] for c in api("channels")["items"] if c["name"] == channel)
    return api(f"channels/{channel_id}/live")


def srt_link(server: AntenneServer, channel: str, within: float = 15.0) -> dict:
    """The `srt` object of the channel's live status once libsrt has counted packets."""
    deadline = time.monotonic() + within
    while True:
        status = live_status(server, channel)
        link = status["srt"]
        if link and link["packetsReceived"] > 0 or time.monotonic() > deadline:
            assert link, status
            return link
        time.sleep(0.5)


def newest_segment(server: AntenneServer, channel: str) -> int:
    """The media sequence number of the newest segment of the channel's first rendition."""
    master = fetch(server.url(f"/hls/{channel}/master.m3u8"))
    rendition = next(line for line in master.splitlines() if line and not line.startswith("#"))
    playlist = fetch(server.url(f"/hls/{channel}/{rendition}"))
    sequence = int(re.search(r"#EXT-X-MEDIA-SEQUENCE:(\d+)", playlist).group(1))
    return sequence + playlist.count("#EXTINF") - 1


def wait_live(server: AntenneServer, channel: str, publisher: subprocess.Popen) -> None:
    wait_for_status(server.url(f"/hls/{channel}/master.m3u8"), 200, LIVE_TIMEOUT, [server.process, publisher],
                    f"{channel} master playlist")
    deadline = time.monotonic() + LIVE_TIMEOUT
    while time.monotonic() < deadline:
        try:
            if newest_segment(server, channel) >= 0:
                return
        except (OSError, AttributeError, StopIteration):
            pass
        time.sleep(0.2)
    raise AssertionError(f"{channel}: no segment\n{log_tail(server.log_path)}")


def keeps_playing(server: AntenneServer, channel: str, seconds: float = 6.0) -> None:
    """New segments keep coming for `channel` (2 s segments: at least two more in 6 s)."""
    before = newest_segment(server, channel)
    time.sleep(seconds)
    after = newest_segment(server, channel)
    assert after >= before + 2, f"{channel} stalled at segment {after} (was {before})\n{log_tail(server.log_path)}"


def decodes(server: AntenneServer, channel: str) -> dict:
    """ffprobe opens the channel's HLS and decodes its streams; returns what it found."""
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height,sample_rate",
         "-of", "json", server.url(f"/hls/{channel}/master.m3u8")],
        capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0, probe.stderr
    streams = json.loads(probe.stdout)["streams"]
    return {s["codec_type"]: s for s in streams}


def refused(publisher: subprocess.Popen) -> None:
    try:
        code = publisher.wait(timeout=REFUSED_WITHIN)
    except subprocess.TimeoutExpired:
        kill_tree(publisher)
        pytest.fail("the publisher was not refused")
    assert code != 0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AntenneServer]:
    work = tmp_path_factory.mktemp("srt")
    config = work / "antenne.json"
    config.write_text(json.dumps({"channels": [
        {"name": "secure", "streamKey": "k-secure-" + secrets.token_hex(8), "srtPassphrase": PASSPHRASE},
        {"name": "other", "streamKey": "k-other-" + secrets.token_hex(8), "srtLatency": 0.2},
        {"name": "opus", "streamKey": "k-opus-" + secrets.token_hex(8)},
        {"name": "paired", "streamKey": "k-paired-" + secrets.token_hex(8), "backupStreamKey": "k-pairedb-" + secrets.token_hex(8)},
        {"name": "opusladder", "streamKey": "k-opusladder-" + secrets.token_hex(8), "ladder": "small"},
        {"name": "languages", "streamKey": "k-languages-" + secrets.token_hex(8), "ladder": "small"},
        {"name": "cued", "streamKey": "k-cued-" + secrets.token_hex(8)},
    ], "ladders": {"small": {
        "includeSource": False,
        "rungs": [{"name": "144p", "width": 256, "height": 144, "videoBitrate": "200k", "preset": "ultrafast"}],
        "audio": {"bitrate": "64k", "channels": 2},
    }}}))
    with running_antenne(antenne_bin(), work, ["--config", str(config)], env={"ANTENNE_ADMIN_TOKEN": ADMIN_TOKEN}) as running:
        channels = json.loads(config.read_text())["channels"]
        running.keys = {c["name"]: c["streamKey"] for c in channels} | {
            "paired-backup": c["backupStreamKey"] for c in channels if "backupStreamKey" in c}
        yield running


@pytest.fixture
def publishers(server: AntenneServer) -> Iterator[list[subprocess.Popen]]:
    """Publishers a test starts; stopped after it, and waited for until the server has ended
    their publishes, so that the next test finds its channel free."""
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        kill_tree(process)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        log = server.log_path.read_text()
        if log.count("SRT publish started") == log.count("SRT publish ended"):
            return
        time.sleep(0.1)
    pytest.fail(f"publishes still open after their publishers stopped\n{log_tail(server.log_path)}")


def test_publish_stream_id_plays(server: AntenneServer, publishers: list) -> None:
    publisher = publish(srt_url(server, f"publish:{server.stream_key}"))
    publishers.append(publisher)
    wait_live(server, "demo", publisher)
    streams = decodes(server, "demo")
    assert streams["video"]["codec_name"] == "h264" and streams["video"]["width"] == 320
    assert streams["audio"]["codec_name"] == "aac" and streams["audio"]["sample_rate"] == "48000"
    log = server.log_path.read_text()
    assert "SRT publish started" in log
    assert server.stream_key not in log.split("\n", 1)[1], "a stream key was logged"
    # The link's figures reach /metrics, and the publish is counted as an SRT one.
    deadline = time.monotonic() + 15
    while True:
        page = fetch(f"http://127.0.0.1:{server.http_port}/metrics")
        received = re.search(r'^antenne_srt_packets_received_total\{channel="demo",input="primary"\} (\d+)', page, re.MULTILINE)
        if received and int(received.group(1)) > 0 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert received and int(received.group(1)) > 0, page
    assert re.search(r'^antenne_srt_rtt_seconds\{channel="demo",input="primary"\} ', page, re.MULTILINE), page
    assert re.search(r'^antenne_ingest_connects_total\{protocol="srt"\} [1-9]', page, re.MULTILINE), page
    # And the API's live status, for the input the channel follows.
    link = srt_link(server, "demo")
    assert link["packetsReceived"] > 0 and link["packetsLost"] >= 0 and link["packetsRetransmitted"] >= 0, link
    assert link["rttMilliseconds"] >= 0 and link["receiveBitrate"] > 0, link
    assert link["latencyMilliseconds"] == 120, link


def test_a_primary_and_a_backup_over_srt_each_have_their_figures(server: AntenneServer, publishers: list) -> None:
    primary = publish(srt_url(server, f"publish:{server.keys['paired']}"))
    backup = publish(srt_url(server, f"publish:{server.keys['paired-backup']}"))
    publishers.extend([primary, backup])
    wait_live(server, "paired", primary)
    deadline = time.monotonic() + 15
    while True:
        page = fetch(f"http://127.0.0.1:{server.http_port}/metrics")
        inputs = set(re.findall(r'^antenne_srt_packets_received_total\{channel="paired",input="(\w+)"\} [1-9]', page, re.MULTILINE))
        if inputs == {"primary", "backup"} or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert inputs == {"primary", "backup"}, page


def test_opus_in_mpeg_ts_plays(server: AntenneServer, publishers: list) -> None:
    """H.264 + Opus as ffmpeg muxes them (private PES with an `Opus` registration descriptor): the
    channel lists an Opus audio rendition and ffprobe decodes Opus from it. A channel of its own,
    so that its playlists hold no earlier publish's AAC."""
    publisher = publish(srt_url(server, f"publish:{server.keys['opus']}"), audio="libopus")
    publishers.append(publisher)
    wait_live(server, "opus", publisher)
    master = fetch(server.url("/hls/opus/master.m3u8"))
    assert re.search(r'^#EXT-X-MEDIA:TYPE=AUDIO,.*URI="audio/', master, re.MULTILINE), master
    assert re.search(r'^#EXT-X-STREAM-INF:.*CODECS="avc1\.[0-9a-f]+,opus"', master, re.MULTILINE), master
    streams = decodes(server, "opus")
    assert streams["video"]["codec_name"] == "h264", streams
    assert streams["audio"]["codec_name"] == "opus" and streams["audio"]["sample_rate"] == "48000", streams


def test_an_opus_source_gets_aac_from_the_ladder(server: AntenneServer, publishers: list) -> None:
    """A ladder that encodes audio reads the source's Opus from the transcoder's MPEG-TS feed (the
    muxer writes it as ffmpeg does) and gives the rungs AAC."""
    publisher = publish(srt_url(server, f"publish:{server.keys['opusladder']}"), audio="libopus")
    publishers.append(publisher)
    wait_live(server, "opusladder", publisher)
    master = fetch(server.url("/hls/opusladder/master.m3u8"))
    assert re.search(r'^#EXT-X-STREAM-INF:.*CODECS="avc1\.[0-9a-f]+,mp4a\.40\.2"', master, re.MULTILINE), master
    streams = decodes(server, "opusladder")
    assert streams["video"]["height"] == 144, streams
    assert streams["audio"]["codec_name"] == "aac" and streams["audio"]["sample_rate"] == "48000", streams


def test_access_control_stream_id_plays(server: AntenneServer, publishers: list) -> None:
    key = server.keys["other"]
    publisher = publish(srt_url(server, f"#!::r=live/{key},m=publish"))
    publishers.append(publisher)
    wait_live(server, "other", publisher)
    assert decodes(server, "other")["video"]["codec_name"] == "h264"
    keeps_playing(server, "other")
    assert srt_link(server, "other")["latencyMilliseconds"] == 200


def test_an_rtmp_input_has_no_srt_link(server: AntenneServer) -> None:
    key = server.keys["other"]
    publisher = subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25",
         "-f", "flv", f"rtmp://127.0.0.1:{server.rtmp_port}/live/{key}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        # The channel's playlist may be the last SRT publish's: wait for the RTMP one itself.
        deadline = time.monotonic() + LIVE_TIMEOUT
        status = live_status(server, "other")
        while not (status["live"] and status["videoCodec"]) and time.monotonic() < deadline:
            assert publisher.poll() is None, publisher.stderr.read().decode()
            time.sleep(0.5)
            status = live_status(server, "other")
        assert status["live"] and status["input"] == "primary" and status["srt"] is None, status
    finally:
        kill_tree(publisher)


def test_passphrase_is_required_and_works(server: AntenneServer, publishers: list, tmp_path: Path) -> None:
    key = server.keys["secure"]
    refused(publish(srt_url(server, f"publish:{key}"), seconds=30))
    refused(publish(srt_url(server, f"publish:{key}", passphrase="wrong-passphrase-1", pbkeylen="16"), seconds=30))
    publisher = publish(srt_url(server, f"publish:{key}", passphrase=PASSPHRASE, pbkeylen="16"))
    publishers.append(publisher)
    wait_live(server, "secure", publisher)
    assert decodes(server, "secure")["video"]["codec_name"] == "h264"
    assert PASSPHRASE not in server.log_path.read_text()
    plays_in_chromium(server, "secure", tmp_path)


def plays_in_chromium(server: AntenneServer, channel: str, tmp_path: Path) -> None:
    """The web player at `/watch/{channel}` in headless Chromium starts, shows a picture and plays
    on for 8 of 10 s with no error."""
    try:
        from player import CHROMIUM, CHROMEDRIVER, browser_console, make_driver, probe_playback
    except ImportError as exc:
        pytest.skip(f"selenium is not installed: {exc}")
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        pytest.skip("chromium and chromium-driver are not installed (scripts/setup --tests)")
    driver = make_driver(tmp_path / "chromedriver.log")
    try:
        report = probe_playback(driver, server.url(f"/watch/{channel}"), watch_seconds=10)
        details = f"{report.describe()}\n--- browser console ---\n{browser_console(driver)}"
        assert report.started_after is not None, f"playback never started\n{details}"
        assert not report.errors, details
        assert report.last["videoWidth"] == 320, details
        assert report.advanced >= 8, details
    finally:
        driver.quit()


def test_wrong_key_and_bad_stream_ids_are_refused_while_another_channel_plays(server: AntenneServer, publishers: list) -> None:
    publisher = publish(srt_url(server, f"publish:{server.stream_key}"))
    publishers.append(publisher)
    wait_live(server, "demo", publisher)
    wrong = "k-wrong-" + secrets.token_hex(8)
    refused(publish(srt_url(server, f"publish:{wrong}"), seconds=30))
    refused(publish(srt_url(server, "garbage"), seconds=30))
    refused(publish(srt_url(server, f"#!::r=live/{server.stream_key},m=request"), seconds=30))
    # The channel that is live is not taken over by a second publisher.
    refused(publish(srt_url(server, f"publish:{server.stream_key}"), seconds=30))
    keeps_playing(server, "demo")
    assert publisher.poll() is None, publisher.stderr.read().decode()
    log = server.log_path.read_text()
    assert "publish refused: unknown or revoked stream key" in log, log_tail(server.log_path)
    assert "SRT connection refused: stream id is neither" in log, log_tail(server.log_path)
    assert wrong not in log


def test_garbage_datagrams_do_not_disturb_a_live_publish(server: AntenneServer, publishers: list) -> None:
    publisher = publish(srt_url(server, f"publish:{server.stream_key}"))
    publishers.append(publisher)
    wait_live(server, "demo", publisher)
    before = newest_segment(server, "demo")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        for i in range(3000):
            size = (1, 16, 64, 188, 1316, 1500)[i % 6]
            datagram = bytearray(os.urandom(size))
            if i % 3 == 0 and size >= 16:
                datagram[0] = 0x80  # a control packet's flag: handshakes, keep-alives, ACKs of nobody
            udp.sendto(bytes(datagram), ("127.0.0.1", server.srt_port))
            if i % 100 == 0:
                time.sleep(0.01)
    keeps_playing(server, "demo")
    assert newest_segment(server, "demo") >= before + 2
    assert publisher.poll() is None, publisher.stderr.read().decode()


def test_a_ladder_encodes_every_audio_language(server: AntenneServer, publishers: list) -> None:
    """Two audio programmes into a transcoded channel: FFmpeg encodes both, and the renditions
    keep their languages (the multivariant's audio group, the renditions' own tracks, their tones)."""
    publisher = subprocess.Popen(two_languages_command(srt_url(server, f"publish:{server.keys['languages']}")),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    publishers.append(publisher)
    wait_live(server, "languages", publisher)
    deadline = time.monotonic() + LIVE_TIMEOUT
    while True:
        master = fetch(server.url("/hls/languages/master.m3u8"))
        media = [line for line in master.splitlines() if line.startswith("#EXT-X-MEDIA:TYPE=AUDIO")]
        if len(media) == 2 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert [re.search(r'LANGUAGE="(\w+)",DEFAULT=(\w+)', line).groups() for line in media] == [("en", "YES"), ("fr", "NO")], master
    assert "144p/index.m3u8" in master and "source/" not in master, master
    for language, rendition in (("eng", "audio"), ("fra", "audio-fra")):
        playlist = server.url(f"/hls/languages/{rendition}/index.m3u8")
        assert rendition_language(playlist) == [f"aac,{language}"]
        assert abs(rendition_tone(playlist) - TONES[language]) < 5


def date(text: str) -> float:
    """Seconds since the epoch of an ISO 8601 date-time as playlists write it."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def attribute(name: str, line: str) -> str | None:
    match = re.search(rf'(?:^|[:,]){name}=("([^"]*)"|[^,]*)', line)
    return None if match is None else (match.group(2) if match.group(2) is not None else match.group(1))


def test_an_scte35_cue_in_the_transport_stream_is_a_date_range_and_an_mpd_event(server: AntenneServer, publishers: list) -> None:
    """An encoder's MPEG-TS with an SCTE-35 stream (type 0x86) and a `splice_insert()` ad break,
    sent by libsrt's own `srt-live-transmit` (Debian 12's ffmpeg cannot mux SCTE-35): the break is
    an `EXT-X-DATERANGE` on the segment boundary at the frame it names, its return likewise, and
    an event in the MPD at the same instant."""
    if shutil.which("srt-live-transmit") is None:
        pytest.skip("srt-live-transmit is not installed (srt-tools; scripts/setup --tests)")
    injector = CueInjector()
    encoder = subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
         # A key frame on every whole second, so that the break's frame can start a segment.
         "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-sc_threshold", "0", "-b:v", "300k",
         "-c:a", "aac", "-b:a", "64k", "-f", "mpegts", "pipe:1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    sender = subprocess.Popen(
        ["srt-live-transmit", "-q", "-a:no", "-chunk:1316", "file://con",
         srt_url(server, f"publish:{server.keys['cued']}")],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    publishers.extend([encoder, sender])

    def pump() -> None:
        try:
            while chunk := encoder.stdout.read(7 * PACKET):
                out = b"".join(p for i in range(0, len(chunk) - PACKET + 1, PACKET) for p in injector.feed(chunk[i:i + PACKET]))
                sender.stdin.write(out)
                sender.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass  # the sender or the encoder was stopped: the test is over

    threading.Thread(target=pump, daemon=True).start()
    wait_live(server, "cued", sender)
    pts_time, newest = injector.cue(event_id=35, lead=4, duration=6)
    # The newest frame is about now on the server's clock; the break starts that far after it.
    expected = time.time() + ((pts_time - newest) % (1 << 33)) / CLOCK

    playlist_url = server.url("/hls/cued/source/index.m3u8")
    deadline = time.monotonic() + LIVE_TIMEOUT
    playlist = ""
    while time.monotonic() < deadline and "SCTE35-IN=" not in playlist:
        time.sleep(0.3)
        playlist = fetch(playlist_url)
    lines = playlist.splitlines()
    out = next((i for i, line in enumerate(lines) if line.startswith("#EXT-X-DATERANGE:") and "SCTE35-OUT=" in line), None)
    assert out is not None, f"{playlist}\n{log_tail(server.log_path)}"
    assert attribute("ID", lines[out]) == "scte35-35", lines[out]
    assert attribute("PLANNED-DURATION", lines[out]) == "6.00000", lines[out]
    assert attribute("SCTE35-OUT", lines[out]).upper().startswith("0XFC"), lines[out]
    # On a segment boundary: the START-DATE is its segment's date-time, the line before.
    start_date = attribute("START-DATE", lines[out])
    assert lines[out - 1] == f"#EXT-X-PROGRAM-DATE-TIME:{start_date}", playlist
    start = date(start_date)
    # At the frame the cue names, seen from outside: the server dates a session from the
    # arrival of its first frame, after SRT's latency and ffmpeg's muxing delay (0.4 s on a quiet
    # machine), so this allows 1.5 s; the frame itself is checked to the tick in
    # MPEGTSPublishSessionCueTests. A cue read without its 4 s lead, or on a wrong clock, lands
    # seconds away.
    assert abs(start - expected) < 1.5, f"the break starts {start - expected:+.2f} s from its frame"
    back = next(i for i, line in enumerate(lines) if line.startswith("#EXT-X-DATERANGE:") and "SCTE35-IN=" in line)
    returned = next(date(line.split(":", 1)[1]) for line in reversed(lines[:back]) if line.startswith("#EXT-X-PROGRAM-DATE-TIME:"))
    assert abs(returned - start - 6) < 0.05, f"the return is {returned - start:.3f} s after the break"

    # The MPD: an SCTE-35 event of the same break at the same instant.
    mpd = fetch(server.url("/dash/cued/manifest.mpd"))
    ns = {"d": "urn:mpeg:dash:schema:mpd:2011"}
    root = ET.fromstring(mpd)
    events = [(period, stream, event) for period in root.findall("d:Period", ns)
              for stream in period.findall("d:EventStream", ns) if stream.get("schemeIdUri") == "urn:scte:scte35:2014:xml+bin"
              for event in stream.findall("d:Event", ns)]
    assert len(events) == 1, mpd
    period, stream, event = events[0]
    timescale = int(stream.get("timescale", "1"))
    period_start = float(period.get("start")[2:-1])  # PT{seconds}S
    instant = date(root.get("availabilityStartTime")) + period_start + int(event.get("presentationTime")) / timescale
    assert abs(instant - start) < 0.002, mpd
    assert int(event.get("duration")) == 6 * timescale, mpd
