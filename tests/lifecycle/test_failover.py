"""Backup inputs (issue "More ways in and out", item 3), with the real binary ($ANTENNE_BIN) and
ffmpeg: a channel's primary and backup publish at once over RTMP; a client polls the media
playlist and fetches every part it lists.

- The primary is killed: the playlist goes on with the backup within about a second, after an
  EXT-X-DISCONTINUITY, numbers going on, and the client never gets a 404.
- The primary comes back: once steady it feeds the channel again (a second discontinuity).
- The primary stalls (SIGSTOP: its connection stays open, no video comes): the backup takes over
  after the loss timeout; resumed (SIGCONT), the primary comes back.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from antenne_server import AntenneServer, antenne_bin, running_antenne  # noqa: E402
from failover_probe import FailoverProbe, variant_playlist  # noqa: E402
from procutil import kill_tree, log_tail, sigkill  # noqa: E402

# The first publish reaches a playable playlist within this (ffmpeg's start-up, 2 s segments).
LIVE_TIMEOUT = 40.0
# The primary is lost at once when its connection closes, or after this (--input-loss-timeout).
LOSS_TIMEOUT = 1.0
# A primary that is back feeds the channel again after this much steady video (--input-return-after).
RETURN_AFTER = 3.0
# Key frames every 15 frames at 30 fps: a switch waits for the incoming input's next key frame.
GOP = 0.5
# The LL-HLS part target: the first part of the backup is listed once it is complete.
PART = 0.5
# Kill to the backup's first part in the playlist: the key frame, a part, the client's poll, and
# slack for a loaded machine. The issue asks for "about a second".
FAILOVER_BUDGET = GOP + PART + 1.0
# A stall is noticed after the loss timeout (on the backup's next frame).
STALL_BUDGET = LOSS_TIMEOUT + FAILOVER_BUDGET


def publish(url: str, size: str, log: Path) -> subprocess.Popen:
    """ffmpeg as an encoder: a test pattern and a tone, H.264 + AAC over RTMP, in real time."""
    with open(log, "ab") as out:
        return subprocess.Popen(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
             "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30",
             "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
             "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-b:v", "300k",
             "-c:a", "aac", "-b:a", "64k", "-f", "flv", url],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)


def backup_url(server: AntenneServer, key: str) -> str:
    return f"rtmp://127.0.0.1:{server.rtmp_port}/live/{key}"


def test_backup_takes_over_and_the_primary_returns(tmp_path: Path) -> None:
    backup_key = "b" + secrets.token_hex(12)
    args = ["--backup-key", f"demo:{backup_key}", "--input-loss-timeout", str(LOSS_TIMEOUT),
            "--input-return-after", str(RETURN_AFTER)]
    with running_antenne(antenne_bin(), tmp_path, args) as server:
        log = tmp_path / "ffmpeg.log"
        primary = publish(server.publish_url, "320x180", log)
        backup = None
        probe = None
        try:
            playlist = variant_playlist(server.url(f"/hls/{server.channel}"), LIVE_TIMEOUT)
            backup = publish(backup_url(server, backup_key), "256x144", log)
            probe = FailoverProbe(playlist).start()
            assert probe.wait_for_newest(2, LIVE_TIMEOUT), log_tail(server.log_path)
            time.sleep(2)  # the backup is live and steady
            text = server.log_path.read_text()
            assert "input=backup" in text and "RTMP publish started" in text, log_tail(server.log_path)
            assert not probe.switches, f"switched while the primary was fine: {probe.switches}"
            before = probe.newest

            # Kill the primary: its connection closes, the backup takes over at its next key frame.
            killed = time.monotonic()
            sigkill(primary)
            seen = probe.wait_for_switches(1, 10)
            assert seen, f"no discontinuity after the primary was killed\n{log_tail(server.log_path)}"
            failover = seen.seen_at - killed
            assert failover < FAILOVER_BUDGET, f"the backup's first part came {failover:.2f}s after the kill"
            assert seen.msn > before, "numbering went back"

            # The primary comes back: once steady for RETURN_AFTER, at its key frame.
            primary = publish(server.publish_url, "320x180", log)
            back = probe.wait_for_switches(2, RETURN_AFTER + 15)
            assert back, f"the primary did not come back\n{log_tail(server.log_path)}"
            assert back.msn > seen.msn

            # A stalled primary (connection open, nothing sent) is lost after the loss timeout.
            assert probe.wait_for_newest(back.msn + 1, 10)
            stalled = time.monotonic()
            os.killpg(primary.pid, signal.SIGSTOP)
            try:
                stall = probe.wait_for_switches(3, 15)
                assert stall, f"no switch to the backup after the primary stalled\n{log_tail(server.log_path)}"
                took = stall.seen_at - stalled
                assert LOSS_TIMEOUT * 0.9 < took < STALL_BUDGET, f"the stall switched after {took:.2f}s"
            finally:
                os.killpg(primary.pid, signal.SIGCONT)
            again = probe.wait_for_switches(4, RETURN_AFTER + 15)
            assert again, f"the resumed primary did not come back\n{log_tail(server.log_path)}"

            time.sleep(1)
            assert not probe.failures, f"the client got errors: {probe.failures[:10]}"
            assert probe.sequences == sorted(probe.sequences), "the media sequence went back"
            assert primary.poll() is None and backup.poll() is None, log.read_text()[-2000:]
        finally:
            if probe:
                probe.stop()
            kill_tree(primary)
            if backup:
                kill_tree(backup)
