"""RTMPS ingest and HTTPS/HTTP/2 playback end to end (issues: RTMPS ingest; HTTPS and HTTP/2 on
the playback listener), with the real binary ($ANTENNE_BIN) and real clients: ffmpeg publishes
over rtmps://, ffprobe reads the HLS over https://, curl fetches parts over one HTTP/2
connection, SIGHUP swaps the certificate for new connections. The certificates are made here
with the openssl command line.
"""

from __future__ import annotations

import json
import os
import re
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))

from antenne_server import antenne_bin, running_antenne  # noqa: E402
from certificates import make_certificate  # noqa: E402
from procutil import free_port, kill_tree, log_tail  # noqa: E402

# The publish goes live and its first segments are packaged within this.
LIVE_TIMEOUT = 60.0
UNVERIFIED = ssl._create_unverified_context()


def https_get(url: str, timeout: float = 5.0) -> tuple[int | None, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=UNVERIFIED) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except (urllib.error.URLError, OSError):
        return None, b""


def wait_https(url: str, proc: subprocess.Popen, timeout: float = LIVE_TIMEOUT) -> bytes:
    deadline = time.monotonic() + timeout
    status = None
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"a process exited with {proc.returncode} while waiting for {url}"
        status, body = https_get(url)
        if status == 200:
            return body
        time.sleep(0.2)
    raise TimeoutError(f"{url}: no 200 after {timeout:.0f}s (last status {status})")


def presented_certificate(port: int) -> str:
    """The certificate a new TLS connection to `port` is shown, as PEM."""
    return ssl.get_server_certificate(("127.0.0.1", port), timeout=5)


def same_certificate(pem_a: str, pem_b: str) -> bool:
    return ssl.PEM_cert_to_DER_cert(pem_a) == ssl.PEM_cert_to_DER_cert(pem_b)


def start_ffmpeg_rtmps(url: str, log: Path, seconds: int = 40) -> subprocess.Popen:
    cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
           "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-re", "-f", "lavfi", "-i", "sine=sample_rate=48000",
           "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-bf", "2",
           "-c:a", "aac", "-tls_verify", "0", "-f", "flv", url]
    with open(log, "wb") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)


def tls_args(cert: Path, key: Path, https: int, rtmps: int) -> list[str]:
    return ["--tls-cert", str(cert), "--tls-key", str(key), "--https-port", str(https), "--rtmps-port", str(rtmps)]


def test_rtmps_publish_plays_over_https_and_http2(tmp_path: Path) -> None:
    cert, key = make_certificate(tmp_path / "tls", "antenne-test")
    https, rtmps = free_port(), free_port()
    with running_antenne(antenne_bin(), tmp_path, tls_args(cert, key, https, rtmps)) as server:
        assert "TLS is off" not in server.log_path.read_text()
        publisher = start_ffmpeg_rtmps(f"rtmps://127.0.0.1:{rtmps}/live/{server.stream_key}", tmp_path / "ffmpeg.log")
        try:
            base = f"https://127.0.0.1:{https}/hls/{server.channel}"
            master = wait_https(f"{base}/master.m3u8", publisher).decode()
            log = server.log_path.read_text()
            assert "RTMPS publish started" in log, log_tail(server.log_path)

            # ffprobe reads the HLS over https.
            probe = subprocess.run(["ffprobe", "-v", "error", "-tls_verify", "0", "-show_streams", "-of", "json",
                                    f"{base}/master.m3u8"], capture_output=True, text=True, timeout=60)
            assert probe.returncode == 0, probe.stderr
            codecs = {s.get("codec_name") for s in json.loads(probe.stdout)["streams"]}
            assert {"h264", "aac"} <= codecs, codecs

            # Several parts over one HTTP/2 connection, sequentially and multiplexed.
            variant = next(line for line in master.splitlines() if line and not line.startswith("#"))
            directory = variant.rsplit("/", 1)[0]
            time.sleep(2)
            status, body = https_get(f"{base}/{variant}")
            assert status == 200
            parts = re.findall(r'#EXT-X-PART:[^\n]*URI="([^"]+)"', body.decode())[-4:]
            assert len(parts) == 4, body.decode()
            urls = [f"{base}/{directory}/{part}" for part in parts]
            for mode in ([], ["--parallel", "--parallel-max", "4"]):
                curl = subprocess.run(["curl", "--http2", "-k", "-s", "--fail", *mode,
                                       "-w", "%{http_version} %{response_code} %{num_connects} %{size_download}\\n",
                                       *[arg for url in urls for arg in (url, "-o", "/dev/null")]],
                                      capture_output=True, text=True, timeout=60)
                assert curl.returncode == 0, curl.stderr
                rows = [line.split() for line in curl.stdout.splitlines()]
                assert len(rows) == 4, curl.stdout
                assert all(row[0] == "2" and row[1] == "200" and int(row[3]) > 0 for row in rows), curl.stdout
                assert sum(int(row[2]) for row in rows) == 1, f"one connection for all parts {mode}: {curl.stdout}"
            print(f"curl over HTTP/2: {len(urls)} parts on one connection, sequential and --parallel")
        finally:
            kill_tree(publisher)


def test_sighup_reloads_the_certificate(tmp_path: Path) -> None:
    cert, key = make_certificate(tmp_path / "tls", "first")
    second_cert, second_key = make_certificate(tmp_path / "second", "second")
    https, rtmps = free_port(), free_port()
    with running_antenne(antenne_bin(), tmp_path, tls_args(cert, key, https, rtmps)) as server:
        for port in (https, rtmps):
            assert same_certificate(presented_certificate(port), cert.read_text())

        # A broken certificate file: one line, and the current certificate stays.
        original = cert.read_text()
        cert.write_text("-----BEGIN CERTIFICATE-----\nbroken\n")
        server.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 5
        while "TLS certificate not reloaded" not in server.log_path.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        log = server.log_path.read_text()
        assert log.count("TLS certificate not reloaded, the current one stays") == 1, log_tail(server.log_path)
        assert server.process.poll() is None, "SIGHUP does not stop the server"
        assert same_certificate(presented_certificate(https), original)

        cert.write_bytes(second_cert.read_bytes())
        key.write_bytes(second_key.read_bytes())
        server.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 5
        while "TLS certificate reloaded" not in server.log_path.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "TLS certificate reloaded" in server.log_path.read_text(), log_tail(server.log_path)
        for port in (https, rtmps):
            assert same_certificate(presented_certificate(port), second_cert.read_text()), f"port {port}"
        status, _ = https_get(f"https://127.0.0.1:{https}/healthz")
        assert status == 200


def test_a_missing_certificate_is_a_startup_error(tmp_path: Path) -> None:
    cert, key = make_certificate(tmp_path / "tls", "antenne-test")
    missing = tmp_path / "tls" / "missing.pem"
    done = subprocess.run([str(antenne_bin()), "serve", "--http-port", str(free_port()), "--rtmp-port", str(free_port()),
                           "--data-dir", str(tmp_path / "data"), "--tls-cert", str(missing), "--tls-key", str(key)],
                          capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert done.returncode != 0
    assert f"TLS certificate or key {missing}: no such file" in done.stderr + done.stdout, done.stderr


def test_a_key_without_a_certificate_is_refused(tmp_path: Path) -> None:
    _, key = make_certificate(tmp_path / "tls", "antenne-test")
    done = subprocess.run([str(antenne_bin()), "serve", "--data-dir", str(tmp_path / "data"), "--tls-key", str(key)],
                          capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert done.returncode != 0
    assert "--tls-key needs --tls-cert" in done.stderr, done.stderr


def test_chromium_plays_the_watch_page_over_https(tmp_path: Path) -> None:
    """The web player over HTTPS (HTTP/2 to Chromium), fed over RTMPS."""
    try:
        from player import CHROMIUM, CHROMEDRIVER, browser_console, make_driver, probe_playback
    except ImportError as exc:
        pytest.skip(f"selenium is not installed: {exc}")
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        pytest.skip("chromium and chromium-driver are not installed (scripts/setup --tests)")
    cert, key = make_certificate(tmp_path / "tls", "antenne-test")
    https, rtmps = free_port(), free_port()
    with running_antenne(antenne_bin(), tmp_path, tls_args(cert, key, https, rtmps)) as server:
        publisher = start_ffmpeg_rtmps(f"rtmps://127.0.0.1:{rtmps}/live/{server.stream_key}", tmp_path / "ffmpeg.log")
        driver = None
        try:
            wait_https(f"https://127.0.0.1:{https}/hls/{server.channel}/master.m3u8", publisher)
            driver = make_driver(tmp_path / "chromedriver.log", ("--ignore-certificate-errors",))
            report = probe_playback(driver, f"https://127.0.0.1:{https}/watch/{server.channel}", watch_seconds=10)
            details = f"{report.describe()}\n--- browser console ---\n{browser_console(driver)}"
            assert report.started_after is not None, f"playback never started\n{details}"
            assert not report.errors, details
            assert report.last["videoWidth"] > 0, details
            assert report.advanced >= 8, details
            protocol = driver.execute_script(
                "return performance.getEntriesByType('resource').map(e => e.nextHopProtocol).filter(p => p).pop()")
            assert protocol == "h2", f"Chromium fetched over {protocol}"
        finally:
            if driver is not None:
                driver.quit()
            kill_tree(publisher)
