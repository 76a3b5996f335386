"""The tracker on the HTTPS listener (issue 17): the players of an https:// page reach the tracker
as wss:// and the digests over HTTPS, and share segments with each other as they do over HTTP.

One Chromium instance holds three data-only peers (p2pdata.js: the player's P2P code without
decoding): no video is decoded, so the test costs little more than its publisher's start.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import time
from pathlib import Path

from player import browser_console
from certificates import make_certificate
from procutil import free_port
from swarm import FARM_JS, farm_state

# A self-signed P-256 certificate for 127.0.0.1, made when the module is collected: the server's
# flags are module-level. Chromium is told to accept it.
_TLS = Path(tempfile.mkdtemp(prefix="antenne-p2p-tls-"))
atexit.register(shutil.rmtree, _TLS, ignore_errors=True)
CERT, KEY = make_certificate(_TLS, "antenne-p2p")
HTTPS_PORT = free_port()

ANTENNE_ARGS = ["--p2p", "demo", "--tls-cert", str(CERT), "--tls-key", str(KEY),
                "--https-port", str(HTTPS_PORT), "--rtmps-port", str(free_port())]

# Seconds the peers have to share: a few segments after the first ones each fetches itself.
WATCH = 30


def test_peers_of_an_https_page_join_through_wss_and_share_segments(antenne, publisher, browsers):
    farm = browsers("--ignore-certificate-errors")
    farm.get(f"https://127.0.0.1:{HTTPS_PORT}/healthz")
    result = farm.execute_async_script(FARM_JS, {"channel": "demo", "token": None, "count": 3, "peer": {}})
    assert result is True, f"data peers did not start: {result}\n{browser_console(farm)}"
    deadline = time.monotonic() + WATCH
    while True:
        peers = farm_state(farm)
        shared = sum(p["stats"]["peerBytes"] for p in peers)
        if shared > 0 and all(p["id"] for p in peers):
            break
        assert time.monotonic() < deadline, f"nothing shared over HTTPS: {peers}\n{browser_console(farm)}"
        time.sleep(0.5)
    assert all(p["error"] is None for p in peers), peers
    # Every peer was welcomed by the tracker over wss:// (its id), and the bytes from peers passed
    # their digest, asked over HTTPS.
    assert all(p["stats"]["rejected"] == 0 for p in peers), peers
    assert farm.execute_script("return location.protocol") == "https:"
