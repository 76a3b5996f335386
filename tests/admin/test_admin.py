"""The back-office at /admin in headless Chromium, with a real `antenne serve` behind it.

An organisation with its own API token, channel (archive on), stream key and webhook is set up
through the control API; ffmpeg publishes with the key. Chromium then logs in with the
organisation's token and: sees the live channel's thumbnail and its bitrate graph; cuts a clip by
choosing in and out points on the DVR timeline, and plays it; rotates the key (the encoder
publishing with the old one is cut off); reads the webhook's delivery log. The server admin's
token then shows the server page, and a phone-sized window the channel list.
The channel is passthrough (no transcoder) to keep the test light on a small machine.

Screenshots are written to tests/admin/artifacts/ (gitignored), or $ANTENNE_ARTIFACTS.
Needs Debian's `chromium` and `chromium-driver`, selenium, and ffmpeg.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))

from antenne_server import AntenneStartError, antenne_bin, running_antenne  # noqa: E402
from procutil import free_port, kill_tree, log_tail, wait_for_status  # noqa: E402

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is needed for the back-office test")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.expected_conditions import staleness_of  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from player import CHROMEDRIVER, CHROMIUM, make_driver  # noqa: E402

ADMIN_TOKEN = "admin-" + secrets.token_hex(16)
ARTIFACTS = Path(os.environ.get("ANTENNE_ARTIFACTS", Path(__file__).parent / "artifacts"))
# The channel plays (ffmpeg connected, the transcoder's first segments out) within this.
LIVE_TIMEOUT = 40
# The history is sampled every 10 s: two samples with the encoder's bitrate (a line) come within
# four intervals of the server's start.
GRAPH_TIMEOUT = 45
# A clip of a few seconds is cut within this once its segments are archived.
CLIP_TIMEOUT = 60
# The control plane ends a publish whose key is revoked within its sync interval (2 s), plus the
# encoder noticing the closed connection.
CUT_TIMEOUT = 15


def api(base: str, method: str, path: str, body: dict | None = None, token: str = ADMIN_TOKEN) -> dict | None:
    request = urllib.request.Request(
        f"{base}/api/v1/{path}", method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read()
        return json.loads(text) if text else None


def publish(url: str, log: Path) -> subprocess.Popen:
    """A 640x360 test pattern at 30 fps with a key frame every 2 s, and a tone."""
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
         "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "60", "-keyint_min", "60",
         "-sc_threshold", "0", "-b:v", "800k", "-c:a", "aac", "-b:a", "64k", "-f", "flv", url],
        stdout=log.open("wb"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)


class WebhookReceiver(BaseHTTPRequestHandler):
    """Answers every webhook POST 204 and keeps the event names."""
    received: list[str] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        WebhookReceiver.received.append(json.loads(body).get("type", "?"))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def shot(driver, name: str, section: str | None = None) -> None:
    """A screenshot of the window, scrolled to the element with id `section` if given."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if section:
        driver.execute_script("document.getElementById(arguments[0]).scrollIntoView()", section)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def wait(driver, seconds: float, condition, message: str):
    return WebDriverWait(driver, seconds, poll_frequency=0.25).until(condition, message)


def login(driver, base: str, token: str) -> None:
    driver.get(f"{base}/admin")
    field = wait(driver, 10, lambda d: d.find_element(By.ID, "token"), "no login form")
    field.send_keys(token)
    field.send_keys(Keys.ENTER)
    wait(driver, 10, lambda d: d.find_element(By.ID, "nav").is_displayed() and not d.find_elements(By.ID, "token"), "not logged in")


def click_confirm(driver) -> None:
    """Confirms the pending destructive action in the page's dialog."""
    dialog = wait(driver, 5, lambda d: d.find_element(By.CSS_SELECTOR, "dialog#confirm[open]"), "no confirmation asked")
    dialog.find_element(By.ID, "confirm-ok").click()


def test_the_back_office_runs_a_live_channel(tmp_path: Path) -> None:
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not os.access(tool, os.X_OK):
            pytest.skip(f"{tool} not installed")
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not installed")
    binary = antenne_bin()
    if not os.access(binary, os.X_OK):
        pytest.skip(f"antenne binary not found at {binary}")

    receiver = HTTPServer(("127.0.0.1", free_port()), WebhookReceiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    ffmpeg = None
    driver = None
    try:
        with running_antenne(binary, tmp_path, env={"ANTENNE_ADMIN_TOKEN": ADMIN_TOKEN}) as server:
            base = server.base_url
            organisation = api(base, "POST", "organisations", {"name": "Federation"})["id"]
            token = api(base, "POST", f"organisations/{organisation}/tokens", {"name": "back-office", "role": "admin"})["secret"]
            hook_url = f"http://127.0.0.1:{receiver.server_port}/hooks"
            api(base, "POST", "webhooks", {"url": hook_url, "events": ["stream.started", "stream.stopped"]}, token=token)
            channel = api(base, "POST", "channels", {"name": "stadium", "archive": {"enabled": True}}, token=token)
            key = api(base, "POST", f"channels/{channel['id']}/keys", {"label": "encoder"}, token=token)["secret"]
            ffmpeg_log = tmp_path / "ffmpeg.log"
            ffmpeg = publish(f"rtmp://127.0.0.1:{server.rtmp_port}/live/{key}", ffmpeg_log)
            wait_for_status(server.url("/hls/stadium/master.m3u8"), 200, LIVE_TIMEOUT, [server.process, ffmpeg], "stadium master playlist")

            driver = make_driver(tmp_path / "chromedriver.log")
            try:
                # Log in with the organisation's token: its channel, live, with its picture.
                login(driver, base, token)
                card = wait(driver, 20, lambda d: d.find_element(By.CSS_SELECTOR, 'li[data-channel="stadium"][data-live="true"]'),
                            "the channel is not shown live")
                wait(driver, 30, lambda d: d.execute_script(
                    "const i = document.querySelector('li[data-channel=stadium] img.thumb');"
                    "return i && !i.hidden && i.complete && i.naturalWidth > 0"), "no thumbnail")
                figures = {dd.get_attribute("data-figure"): dd.text for dd in card.find_elements(By.CSS_SELECTOR, "dd")}
                assert figures["Resolution"] == "640×360", figures
                assert figures["Codec"].startswith("avc1."), figures
                assert "kb/s" in figures["Bitrate"] or "Mb/s" in figures["Bitrate"], figures
                assert figures["Frame rate"].startswith(("29.", "30.")), figures
                assert figures["Key frames every"].startswith(("1.9", "2.0")), figures
                assert not driver.find_element(By.ID, "nav-server").is_displayed(), "an organisation sees the server page"
                shot(driver, "01-channels")

                # The channel page: the player plays, and the bitrate graph has a line.
                card.find_element(By.LINK_TEXT, "stadium").click()
                wait(driver, GRAPH_TIMEOUT, lambda d: int(d.find_element(By.ID, "graph-bitrate").get_attribute("data-points") or 0) >= 2,
                     "no bitrate line in the graph")
                wait(driver, 20, lambda d: d.execute_script("return document.querySelector('#live video').currentTime > 0"),
                     "the player does not play")
                assert "latest" in driver.find_element(By.ID, "graph-bitrate").get_attribute("aria-label")
                shot(driver, "02-channel")
                shot(driver, "02-graphs", section="graphs")

                # A clip: the timeline's out point a few seconds back (archived by now), the in point
                # six seconds before it, chosen with the keyboard.
                time.sleep(8)
                before = driver.find_element(By.ID, "clip-out")
                driver.find_element(By.XPATH, "//button[text()='Refresh timeline']").click()
                wait(driver, 10, staleness_of(before), "the timeline was not drawn again")
                out_point = driver.find_element(By.ID, "clip-out")
                out_point.send_keys(Keys.END, *[Keys.ARROW_LEFT] * 4)
                in_point = driver.find_element(By.ID, "clip-in")
                in_point.send_keys(Keys.END, *[Keys.ARROW_LEFT] * 5)
                assert driver.execute_script("return document.querySelector('#clips .timeline p').textContent") == "Clip of 6 s"
                driver.find_element(By.XPATH, "//button[text()='Make clip']").click()
                play = wait(driver, CLIP_TIMEOUT, lambda d: d.find_element(By.CSS_SELECTOR, '#clips li[data-status="ready"] button'),
                            "the clip is not ready")
                play.click()
                wait(driver, 20, lambda d: d.execute_script(
                    "const v = document.getElementById('clip-video'); return v && v.currentTime > 0.5"), "the clip does not play")
                duration = driver.execute_script("return document.getElementById('clip-video').duration")
                assert 4 <= duration <= 10, duration
                shot(driver, "03-clip", section="clips")

                # Rotate the key: the new one is shown once, and the encoder on the old one is cut.
                driver.find_element(By.CSS_SELECTOR, 'button[aria-label="Rotate encoder"]').click()
                click_confirm(driver)
                secret = wait(driver, 10, lambda d: d.find_element(By.CSS_SELECTOR, 'input[data-secret="New stream key"]'),
                              "the new key is not shown").get_attribute("value")
                assert secret and secret != key
                deadline = time.monotonic() + CUT_TIMEOUT
                while ffmpeg.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.2)
                assert ffmpeg.poll() is not None, "the encoder with the old key was not cut off"
                shot(driver, "04-rotated", section="keys")

                # The webhook's delivery log: stream.started delivered, stream.stopped after the cut.
                wait(driver, 20, lambda d: "stream.stopped" in WebhookReceiver.received, "no stream.stopped webhook received")
                driver.find_element(By.CSS_SELECTOR, f'button[aria-label="Delivery log of {hook_url}"]').click()
                rows = wait(driver, 10, lambda d: d.find_elements(By.CSS_SELECTOR, "table.deliveries tbody tr") or None,
                            "no delivery in the log")
                events = {(r.find_elements(By.TAG_NAME, "td")[0].text, r.get_attribute("data-state")) for r in rows}
                assert ("stream.started", "delivered") in events, events
                shot(driver, "05-webhooks")

                # The server admin sees the server page (the channel is passthrough: no transcoder).
                driver.find_element(By.ID, "logout").click()
                login(driver, base, ADMIN_TOKEN)
                wait(driver, 10, lambda d: d.find_element(By.ID, "nav-server").is_displayed(), "no server page for the server admin")
                driver.find_element(By.ID, "nav-server").click()
                wait(driver, 15, lambda d: d.find_element(By.CSS_SELECTOR, '[data-figure="Memory"]').text.strip() not in ("", "–"),
                     "no server figures")
                assert driver.find_element(By.CSS_SELECTOR, '[data-figure="Health"]').text == "ok"
                assert "No transcoder runs." in driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=transcoders-title]").text
                shot(driver, "06-server")

                # On a phone: one column, nothing wider than the screen.
                driver.set_window_size(390, 844)
                driver.get(f"{base}/admin#/channels")
                wait(driver, 10, lambda d: d.find_elements(By.CSS_SELECTOR, 'li[data-channel="stadium"]'), "no channel list")
                assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
                shot(driver, "07-phone")
            except Exception:
                if driver is not None:
                    shot(driver, "failure")
                    print("browser console:", driver.get_log("browser"))
                print("antenne log tail:\n" + log_tail(server.log_path))
                print("ffmpeg log tail:\n" + log_tail(ffmpeg_log))
                raise
    except AntenneStartError as exc:
        pytest.fail(str(exc))
    finally:
        if driver is not None:
            driver.quit()
        if ffmpeg is not None:
            kill_tree(ffmpeg)
        receiver.shutdown()
