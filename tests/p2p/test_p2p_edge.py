"""An edge runs a tracker of its own for its own viewers (issue 17): `antenne edge` in front of an
origin with P2P on answers the WebSocket upgrade of `/p2p/{channel}/{rendition}` and lists the
digests of the bytes it serves, which are the origin's. No browser: a raw WebSocket handshake
and the digests over HTTP.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import subprocess
import urllib.request

from procutil import free_port, kill_tree, log_tail, wait_for_status

ANTENNE_ARGS = ["--p2p", "demo"]


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read()


def handshake(port: int, path: str) -> str:
    """What the listener answers to a WebSocket upgrade of `path` (RFC 6455 §4.1), for 3 s."""
    with socket.create_connection(("127.0.0.1", port), timeout=3) as s:
        s.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        received = b""
        try:
            while b'"t":"welcome"' not in received:
                chunk = s.recv(4096)
                if not chunk:
                    break
                received += chunk
        except socket.timeout:
            pass
    return received.decode(errors="replace")


def test_an_edge_runs_its_own_tracker_with_the_digests_of_what_it_serves(antenne, antenne_path, publisher, tmp_path):
    port = free_port()
    log_path = tmp_path / "edge.log"
    with open(log_path, "wb") as log:
        edge = subprocess.Popen([str(antenne_path), "edge", "--host", "127.0.0.1", "--http-port", str(port),
                                 "--origin", antenne.base_url], stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_status(f"{base}/hls/demo/master.m3u8", 200, 30, [edge], "the edge's master playlist")
        master = get(f"{base}/hls/demo/master.m3u8").decode()
        rendition = re.search(r"^([^#\s][^/\s]*)/index\.m3u8", master, re.M).group(1)

        answer = handshake(port, f"/p2p/demo/{rendition}")
        assert answer.startswith("HTTP/1.1 101"), f"{answer}\n{log_tail(log_path)}"
        assert '"t":"welcome"' in answer, answer

        at_edge = json.loads(get(f"{base}/p2p/demo/{rendition}/digests.json"))["objects"]
        at_origin = json.loads(get(antenne.url(f"/p2p/demo/{rendition}/digests.json")))["objects"]
        common = sorted(set(at_edge) & set(at_origin))
        assert len(common) >= 3, (at_edge, at_origin)
        assert all(at_edge[name] == at_origin[name] for name in common), (at_edge, at_origin)
        # Each is the SHA-256 of what the edge serves under that name.
        for name in [n for n in common if n.count(".") == 1][:2]:
            assert hashlib.sha256(get(f"{base}/hls/demo/{rendition}/{name}")).hexdigest() == at_edge[name], name
    finally:
        kill_tree(edge)
