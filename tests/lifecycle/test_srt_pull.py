"""SRT caller mode (issue "More ways in and out", item 1): a channel pulls its primary input from an
encoder that listens (`--srt-pull NAME=srt://HOST:PORT?passphrase=…&latency=…`). ffmpeg plays the
encoder (`-f mpegts 'srt://127.0.0.1:PORT?mode=listener'`); Antenne calls it, the channel's HLS
decodes, and when the encoder is killed and started again the pull calls it again and the playlist
goes on. A wrong passphrase is logged once, in clear words, and never shown.

The real binary ($ANTENNE_BIN) and Debian's ffmpeg, which is built with libsrt.
"""

from __future__ import annotations

import json
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from antenne_server import AntenneServer, antenne_bin, running_antenne  # noqa: E402
from procutil import kill_tree, log_tail  # noqa: E402
from test_srt import ADMIN_TOKEN, decodes, live_status, newest_segment, srt_link, wait_live  # noqa: E402

PASSPHRASE = "antenne-pull-passphrase"
# Killed, the encoder is noticed within libsrt's peer idle timeout (5 s); then the pull calls every
# second, each call waiting up to libsrt's connect timeout (3 s), and the first segment follows.
BACK_WITHIN = 40.0

pytestmark = pytest.mark.skipif(
    b"srt" not in subprocess.run(["ffmpeg", "-hide_banner", "-protocols"], capture_output=True).stdout,
    reason="this ffmpeg has no SRT protocol")


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.bind(("127.0.0.1", 0))
        return udp.getsockname()[1]


def encoder(port: int, passphrase: str = PASSPHRASE) -> subprocess.Popen:
    """ffmpeg as an encoder in SRT listener mode: a live test pattern with a tone, H.264 + AAC in
    MPEG-TS, sent once a caller has connected."""
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
         "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-b:v", "300k",
         "-c:a", "aac", "-b:a", "64k", "-f", "mpegts",
         f"srt://127.0.0.1:{port}?mode=listener&passphrase={passphrase}&pbkeylen=16"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


@pytest.fixture
def pulled(tmp_path: Path) -> Iterator[tuple[AntenneServer, int, list[subprocess.Popen]]]:
    """A server whose channel `pulled` pulls from 127.0.0.1:PORT (from the configuration file),
    with the encoders a test starts, stopped after it."""
    port = free_udp_port()
    config = tmp_path / "antenne.json"
    config.write_text(json.dumps({"channels": [{
        "name": "pulled", "streamKey": "k-pulled-" + secrets.token_hex(8),
        "srtPull": f"srt://127.0.0.1:{port}?passphrase={PASSPHRASE}&latency=200"}]}))
    encoders: list[subprocess.Popen] = []
    with running_antenne(antenne_bin(), tmp_path, ["--config", str(config)], env={"ANTENNE_ADMIN_TOKEN": ADMIN_TOKEN}) as server:
        try:
            yield server, port, encoders
        finally:
            for process in encoders:
                kill_tree(process)


def test_pull_plays_and_calls_again_after_the_encoder_restarts(pulled) -> None:
    server, port, encoders = pulled
    encoders.append(encoder(port))
    wait_live(server, "pulled", encoders[-1])
    streams = decodes(server, "pulled")
    assert streams["video"]["codec_name"] == "h264" and streams["video"]["width"] == 320
    assert streams["audio"]["codec_name"] == "aac"
    link = srt_link(server, "pulled")
    assert link["packetsReceived"] > 0 and link["latencyMilliseconds"] >= 200, link

    before = newest_segment(server, "pulled")
    kill_tree(encoders[-1])
    time.sleep(2)
    encoders.append(encoder(port))
    deadline = time.monotonic() + BACK_WITHIN
    while newest_segment(server, "pulled") < before + 3:
        assert time.monotonic() < deadline, f"the pull did not come back\n{log_tail(server.log_path)}"
        assert encoders[-1].poll() is None, encoders[-1].stderr.read().decode()
        time.sleep(0.5)
    assert decodes(server, "pulled")["video"]["codec_name"] == "h264"
    log = server.log_path.read_text()
    assert log.count("SRT pull connected") >= 2, log_tail(server.log_path)
    assert PASSPHRASE not in log.split("\n", 1)[1], "the passphrase was logged"


def test_a_wrong_passphrase_is_logged_once_in_clear_words(pulled) -> None:
    server, port, encoders = pulled
    encoders.append(encoder(port, passphrase="not-the-same-passphrase"))
    # A few calls, a second apart after each 3 s connect timeout at most.
    time.sleep(8)
    log = server.log_path.read_text()
    failures = [line for line in log.splitlines() if "SRT pull failed" in line]
    assert len(failures) == 1, log_tail(server.log_path)
    assert "the encoder has another passphrase" in failures[0], failures[0]
    assert "not-the-same-passphrase" not in log and PASSPHRASE not in log.split("\n", 1)[1]
    assert encoders[-1].poll() is None, "the encoder gave up"


def test_a_backup_input_takes_over_from_the_pull_and_gives_it_back(tmp_path: Path) -> None:
    """The pull is the channel's primary input: its backup (RTMP here) takes over when the encoder
    goes, and the channel returns to the pull once the encoder is back."""
    port = free_udp_port()
    backup_key = "k-backup-" + secrets.token_hex(8)
    config = tmp_path / "antenne.json"
    config.write_text(json.dumps({"inputReturnAfter": 2, "channels": [{
        "name": "pulled", "streamKey": "k-pulled-" + secrets.token_hex(8), "backupStreamKey": backup_key,
        "srtPull": f"srt://127.0.0.1:{port}?passphrase={PASSPHRASE}"}]}))
    started: list[subprocess.Popen] = []
    with running_antenne(antenne_bin(), tmp_path, ["--config", str(config)], env={"ANTENNE_ADMIN_TOKEN": ADMIN_TOKEN}) as server:
        def wait_input(want: str, srt: bool) -> dict:
            deadline = time.monotonic() + BACK_WITHIN
            while True:
                status = live_status(server, "pulled")
                if status["input"] == want and (status["srt"] is not None) == srt:
                    return status
                assert time.monotonic() < deadline, f"{status}\n{log_tail(server.log_path)}"
                time.sleep(0.5)
        try:
            started.append(encoder(port))
            wait_live(server, "pulled", started[-1])
            started.append(subprocess.Popen(
                ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
                 "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25",
                 "-f", "flv", f"rtmp://127.0.0.1:{server.rtmp_port}/live/{backup_key}"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True))
            wait_input("primary", srt=True)
            kill_tree(started[0])
            wait_input("backup", srt=False)
            started.append(encoder(port))
            wait_input("primary", srt=True)
        finally:
            for process in started:
                kill_tree(process)
