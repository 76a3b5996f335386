"""A token channel's tracker asks for the same playback token as its playlists: a peer without a
valid one is refused, a peer with one is welcomed."""

from __future__ import annotations

import re
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "browser"))
from test_signed import SECRET, sign  # noqa: E402

ANTENNE_ARGS = ["--token-channel", "demo", "--playback-key", "k1:" + SECRET.hex(), "--p2p", "demo"]
TOKEN = sign("demo", int(time.time()) + 3600, b"p2p-test")
PLAYBACK_QUERY = "?token=" + TOKEN

CONNECT_JS = """
const [url, done] = [arguments[0], arguments[arguments.length - 1]];
const ws = new WebSocket(url);
const timer = setTimeout(() => done('timeout'), 10000);
ws.onmessage = (e) => { clearTimeout(timer); done(JSON.parse(e.data).t); ws.close(); };
ws.onclose = () => { clearTimeout(timer); done('closed'); };
"""


def test_a_token_channels_tracker_refuses_a_peer_without_a_valid_token(antenne, publisher, browsers):
    with urllib.request.urlopen(antenne.url(f"/hls/demo/master.m3u8?token={TOKEN}"), timeout=10) as r:
        master = r.read().decode()
    rendition = re.search(r"^([^#\s][^/\s]*)/index\.m3u8", master, re.M).group(1)
    driver = browsers()
    driver.get(antenne.url("/healthz"))
    ws = f"ws://127.0.0.1:{antenne.http_port}/p2p/demo/{rendition}"
    assert driver.execute_async_script(CONNECT_JS, ws) == "closed"
    forged = sign("demo", int(time.time()) + 3600, secret=bytes(32))
    assert driver.execute_async_script(CONNECT_JS, ws + "?token=" + forged) == "closed"
    assert driver.execute_async_script(CONNECT_JS, ws + "?token=" + TOKEN) == "welcome"
    # The digests, likewise.
    for query, status in [("", 404), ("?token=" + forged, 404), ("?token=" + TOKEN, 200)]:
        try:
            with urllib.request.urlopen(antenne.url(f"/p2p/demo/{rendition}/digests.json{query}"), timeout=10) as r:
                got = r.status
        except urllib.error.HTTPError as e:
            got = e.code
        assert got == status, (query, got)
