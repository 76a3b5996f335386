"""Any CDN in front (issue "Scale out delivery", item 3): nginx's proxy_cache and Varnish, from
Debian, run from the configurations in deploy/ in front of a real Antenne origin that ffmpeg
publishes to.

- the blocking-reload query is part of the cache key: each `_HLS_msn`/`_HLS_part` and
  `_HLS_skip` gets its own answer, and a blocking reload is never answered with an older playlist;
- `304` for a conditional request, at the origin and at the cache; errors are not kept;
- request collapsing: many viewers waiting for the same blocking reload and the same part cost
  the origin one request each (Antenne's own count of its responses, `/metrics`);
- 50 simulated LL-HLS viewers: at least 95 % of their part and segment requests are hits;
- a token channel: a part cached for a token is not served without one, and its playlists are
  not kept;
- ffprobe decodes the channel through each cache.
"""

from __future__ import annotations

import http.client
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from antenne_server import AntenneServer, antenne_bin, running_antenne  # noqa: E402
from cdn_servers import RUNNERS, CacheServer, available, origin_responses  # noqa: E402
from procutil import wait_for_status  # noqa: E402
from publisher import publisher  # noqa: E402

# A publisher's channel plays at the origin within this (ffmpeg starts, two segments are cut).
LIVE_TIMEOUT = 60.0
# The simulated audience: the 50 clients, each following the live edge for this long
# (about 16 parts of 0.5 s).
VIEWERS = 50
WATCH_SECONDS = 8.0
HIT_RATIO_GOAL = 0.95
# Viewers asking at once for one blocking reload and one part in the collapsing test.
CONCURRENT = 20
SECRET_HEX = secrets.token_hex(32)

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
                                reason="ffmpeg and ffprobe are needed")


@dataclass
class Origin:
    server: AntenneServer
    token: str

    def url(self, path: str) -> str:
        return self.server.url(path)


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Origin]:
    """One origin with a public channel `demo` and a token channel `sealed`, both fed by one
    ffmpeg."""
    key = "k" + secrets.token_hex(8)
    args = ["--channel", f"sealed:{key}", "--token-channel", "sealed", "--playback-key", f"k1:{SECRET_HEX}"]
    with running_antenne(antenne_bin(), tmp_path_factory.mktemp("origin"), args) as server:
        encoder = publisher([server.publish_url, server.publish_url.rsplit("/", 1)[0] + "/" + key])
        try:
            wait_for_status(server.url("/hls/demo/master.m3u8"), 200, LIVE_TIMEOUT, [server.process], "origin master playlist")
            signed = subprocess.run(
                [str(antenne_bin()), "sign-url", "--channel", "sealed", "--expires-in", "3600", "--base", server.base_url,
                 "--playback-key", f"k1:{SECRET_HEX}"],
                capture_output=True, text=True, check=True).stdout.strip()
            token = signed.split("?token=", 1)[1]
            wait_for_status(server.url(f"/hls/sealed/master.m3u8?token={token}"), 200, LIVE_TIMEOUT, [server.process], "sealed")
            # A delta update skips segments once the window is longer than CAN-SKIP-UNTIL
            # (six target durations, RFC 8216bis §4.4.3.8).
            deadline = time.monotonic() + LIVE_TIMEOUT
            while "#EXT-X-SKIP" not in get(server.base_url, "/hls/demo/source/index.m3u8?_HLS_skip=YES").text:
                assert time.monotonic() < deadline, "no delta update"
                time.sleep(0.5)
            yield Origin(server, token)
        finally:
            encoder.kill()
            encoder.wait()


@pytest.fixture(scope="module", params=["nginx", "varnish"])
def cdn(request: pytest.FixtureRequest, origin: Origin) -> Iterator[CacheServer]:
    if not available(request.param):
        pytest.skip(f"{request.param} is not installed (scripts/setup --tests)")
    with RUNNERS[request.param](origin.server.http_port) as server:
        yield server


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def cache(self) -> str:
        return self.headers.get("x-cache", "")


class Client:
    """One keep-alive HTTP/1.1 connection, as a player holds it."""

    def __init__(self, base_url: str, timeout: float = 20.0):
        host, port = base_url.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=timeout)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        self.connection.request("GET", path, headers=headers or {})
        response = self.connection.getresponse()
        body = response.read()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, body)

    def close(self) -> None:
        self.connection.close()


def get(base_url: str, path: str, headers: dict[str, str] | None = None) -> Answer:
    client = Client(base_url)
    try:
        return client.get(path, headers)
    finally:
        client.close()


PART = re.compile(r'#EXT-X-PART:[^\n]*URI="(\d+)\.(\d+)\.m4s')
HINT = re.compile(r'#EXT-X-PRELOAD-HINT:TYPE=PART,URI="(\d+)\.(\d+)\.m4s')


def hint(playlist: str) -> tuple[int, int]:
    """(msn, part) of the preload hint: the next part, not there yet."""
    found = HINT.search(playlist)
    assert found, playlist
    return int(found.group(1)), int(found.group(2))


def lists_part(playlist: str, msn: int, part: int) -> bool:
    return f'URI="{msn}.{part}.m4s"' in playlist


def blocking(msn: int, part: int) -> str:
    return f"/hls/demo/source/index.m3u8?_HLS_msn={msn}&_HLS_part={part}"


def test_the_blocking_reload_query_is_part_of_the_cache_key(cdn: CacheServer) -> None:
    playlist = get(cdn.base_url, "/hls/demo/source/index.m3u8").text
    first = hint(playlist)
    answer = get(cdn.base_url, blocking(*first))
    assert answer.status == 200 and lists_part(answer.text, *first), answer.text
    second = hint(answer.text)
    assert second != first
    later = get(cdn.base_url, blocking(*second))
    assert later.status == 200 and lists_part(later.text, *second), later.text
    # Each msn/part is an object of its own: the second was not answered with the first's playlist.
    assert later.body != answer.body
    assert later.cache != "HIT"
    # The same blocking reload again is a hit, and still holds its part.
    again = get(cdn.base_url, blocking(*second))
    assert again.cache == "HIT" and again.body == later.body
    # The parameters in another order are the same request (Varnish sorts them; nginx keys the URL
    # as sent, so it is a request of its own there, still answered right).
    swapped = get(cdn.base_url, f"/hls/demo/source/index.m3u8?_HLS_part={second[1]}&_HLS_msn={second[0]}")
    assert swapped.status == 200 and lists_part(swapped.text, *second)
    if cdn.name == "varnish":
        assert swapped.cache == "HIT"
    # A delta update is not the full playlist.
    delta = get(cdn.base_url, f"/hls/demo/source/index.m3u8?_HLS_msn={second[0]}&_HLS_part={second[1]}&_HLS_skip=YES")
    assert delta.status == 200 and "#EXT-X-SKIP:SKIPPED-SEGMENTS=" in delta.text and lists_part(delta.text, *second)
    assert "#EXT-X-SKIP" not in again.text


def test_a_conditional_request_is_answered_304(origin: Origin, cdn: CacheServer) -> None:
    playlist = get(cdn.base_url, "/hls/demo/source/index.m3u8").text
    msn, part = max((int(m), int(p)) for m, p in PART.findall(playlist))
    for path in ["/hls/demo/source/init.mp4", f"/hls/demo/source/{msn}.{part}.m4s", f"/hls/demo/source/{msn - 1}.m4s",
                 blocking(*hint(playlist))]:
        full = get(cdn.base_url, path)
        etag = full.headers.get("etag")
        assert full.status == 200 and etag, (path, full.headers)
        # At the cache, from what it holds (a playlist for a second).
        cached = get(cdn.base_url, path, {"If-None-Match": etag})
        assert cached.status == 304 and cached.body == b"", (cdn.name, path, cached)
        # At the origin: 304, no body, no Content-Length (RFC 9110 §8.6), the same validator. (A
        # playlist has moved on by now: a new part every 0.5 s; DeliveryTests cover its 304.)
        if path.endswith((".mp4", ".m4s")):
            direct = get(origin.server.base_url, path, {"If-None-Match": etag})
            assert direct.status == 304 and direct.body == b"" and "content-length" not in direct.headers, (path, direct)
            assert direct.headers.get("etag") == etag and direct.headers.get("cache-control") == full.headers["cache-control"]
        assert get(cdn.base_url, path, {"If-None-Match": '"something-else"'}).body == full.body
    # Varnish says how long it has held an answer; nginx sends no Age (docs/CDN.md).
    if cdn.name == "varnish":
        assert "age" in get(cdn.base_url, "/hls/demo/source/init.mp4").headers


def test_viewers_waiting_for_one_part_cost_the_origin_one_request(origin: Origin, cdn: CacheServer) -> None:
    # A part nobody has asked for yet: the tests before asked for the next part or two.
    time.sleep(1.5)
    msn, part = hint(get(origin.server.base_url, "/hls/demo/source/index.m3u8").text)
    before = origin_responses(origin.server.base_url)
    answers: list[tuple[str, Answer]] = []
    lock = threading.Lock()

    def viewer(path: str) -> None:
        answer = get(cdn.base_url, path)
        with lock:
            answers.append((path, answer))

    threads = [threading.Thread(target=viewer, args=(path,))
               for path in [blocking(msn, part), f"/hls/demo/source/{msn}.{part}.m4s"] for _ in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    after = origin_responses(origin.server.base_url)
    assert len(answers) == 2 * CONCURRENT
    for path, answer in answers:
        assert answer.status == 200, (path, answer.status, answer.text[:200])
        if ".m3u8" in path:
            assert lists_part(answer.text, msn, part), answer.text
    parts = {a.body for p, a in answers if p.endswith(".m4s")}
    assert len(parts) == 1
    reloads = after.get("blockingReload", 0) - before.get("blockingReload", 0)
    fetched = after.get("part", 0) - before.get("part", 0)
    print(f"\n{cdn.name}: {CONCURRENT} viewers of one blocking reload and one part: "
          f"{reloads:.0f} blocking reload(s) and {fetched:.0f} part request(s) at the origin")
    # One each; a second when a request arrived just after the first answer's TTL ran out.
    assert 1 <= reloads <= 2 and 1 <= fetched <= 2, (reloads, fetched, cdn.log_tail())


@dataclass
class Audience:
    media: int = 0
    hits: int = 0
    reloads: int = 0
    stale: int = 0
    errors: int = 0


def watch(cdn: CacheServer, audience: Audience, lock: threading.Lock, seconds: float) -> None:
    """An LL-HLS viewer: the init segment and the newest segment, then each part in turn, found
    with a blocking reload for the preload hint."""
    client = Client(cdn.base_url)
    media = hits = reloads = stale = errors = 0
    try:
        playlist = client.get("/hls/demo/source/index.m3u8").text
        segments = re.findall(r"^(\d+)\.m4s$", playlist, re.M)
        for path in ["/hls/demo/source/init.mp4", f"/hls/demo/source/{segments[-1]}.m4s"]:
            answer = client.get(path)
            media, hits, errors = media + 1, hits + (answer.cache == "HIT"), errors + (answer.status != 200)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            msn, part = hint(playlist)
            answer = client.get(blocking(msn, part))
            reloads += 1
            if answer.status != 200:
                errors += 1
                break
            playlist = answer.text
            if not lists_part(playlist, msn, part):
                stale += 1
            got = client.get(f"/hls/demo/source/{msn}.{part}.m4s")
            media, hits, errors = media + 1, hits + (got.cache == "HIT"), errors + (got.status != 200)
    finally:
        client.close()
        with lock:
            audience.media += media
            audience.hits += hits
            audience.reloads += reloads
            audience.stale += stale
            audience.errors += errors


def test_fifty_viewers_are_served_from_the_cache(origin: Origin, cdn: CacheServer) -> None:
    audience, lock = Audience(), threading.Lock()
    before = origin_responses(origin.server.base_url)
    threads = [threading.Thread(target=watch, args=(cdn, audience, lock, WATCH_SECONDS)) for _ in range(VIEWERS)]
    for index, thread in enumerate(threads):
        thread.start()
        time.sleep(1.0 / VIEWERS)  # they arrive over a second
    for thread in threads:
        thread.join(timeout=WATCH_SECONDS + 30)
    after = origin_responses(origin.server.base_url)
    ratio = audience.hits / max(1, audience.media)
    origin_media = sum(after.get(k, 0) - before.get(k, 0) for k in ("part", "segment", "initSegment"))
    print(f"\n{cdn.name}: {VIEWERS} viewers, {audience.media} part and segment requests, hit ratio {ratio:.3f}; "
          f"{audience.reloads} blocking reloads; the origin served {origin_media:.0f} media and "
          f"{after.get('blockingReload', 0) - before.get('blockingReload', 0):.0f} blocking reloads")
    assert audience.errors == 0, cdn.log_tail()
    # A blocking reload through the cache always lists the part it asked for.
    assert audience.stale == 0
    assert audience.media >= VIEWERS * 10
    assert ratio >= HIT_RATIO_GOAL, (audience, cdn.log_tail())


def test_errors_are_not_kept(origin: Origin, cdn: CacheServer) -> None:
    """A 404 (`no-store`) is asked of the origin again: a part asked too early exists a moment later."""
    msn, _ = hint(get(origin.server.base_url, "/hls/demo/source/index.m3u8").text)
    path = f"/hls/demo/source/{msn + 3}.0.m4s"  # beyond the part the origin would hold for: 404 at once
    assert get(cdn.base_url, path).status == 404
    before = origin_responses(origin.server.base_url)
    again = get(cdn.base_url, path)
    after = origin_responses(origin.server.base_url)
    assert again.status == 404 and again.cache != "HIT"
    assert after.get("part", 0) - before.get("part", 0) == 1


def test_a_token_channel_through_the_cache(origin: Origin, cdn: CacheServer) -> None:
    token = origin.token
    playlist = get(cdn.base_url, f"/hls/sealed/source/index.m3u8?token={token}")
    assert playlist.status == 200 and playlist.headers["cache-control"].startswith("private")
    # The playlist carries the viewer's token: never kept for another.
    assert get(cdn.base_url, f"/hls/sealed/source/index.m3u8?token={token}").cache != "HIT"
    msn, part = max((int(m), int(p)) for m, p in PART.findall(playlist.text))
    path = f"/hls/sealed/source/{msn}.{part}.m4s"
    assert get(cdn.base_url, f"{path}?token={token}").status == 200
    assert get(cdn.base_url, f"{path}?token={token}").cache == "HIT"
    # What is cached for a token is not served without one, nor for a forged one.
    assert get(cdn.base_url, path).status == 401
    # One character of the signature changed (a token may already end in the one put there).
    forged = token[:-5] + ("B" if token[-5] == "A" else "A") + token[-4:]
    assert get(cdn.base_url, f"{path}?token={forged}").status == 403


def test_ffprobe_decodes_through_the_cache(cdn: CacheServer) -> None:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-rw_timeout", "15000000", "-show_entries", "stream=codec_type", "-of", "csv=p=0",
         cdn.url("/hls/demo/master.m3u8")], capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr
    assert sorted(set(result.stdout.split())) == ["audio", "video"]


def curl_http2(cdn: CacheServer, paths: list[str], output: str = "/dev/null") -> list[list[str]]:
    """`paths` fetched from the cache's HTTPS port by one curl over HTTP/2 (which reuses one
    connection for them all): for each, the HTTP version, status, new connections and X-Cache."""
    assert cdn.tls_port is not None
    urls = [f"https://127.0.0.1:{cdn.tls_port}{path}" for path in paths]
    args = [arg for url in urls for arg in ("-o", output, url)]
    run = subprocess.run(
        ["curl", "--http2", "--insecure", "--silent", "--show-error", "--max-time", "30",
         "--write-out", "%{http_version} %{http_code} %{num_connects} %header{x-cache}\\n", *args],
        capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return [line.split() for line in run.stdout.splitlines()]


def test_http2_to_players_in_front_of_the_cache(cdn: CacheServer, tmp_path: Path) -> None:
    """The configuration's HTTPS lines: players get HTTP/2, many parts over one connection, from
    the cache; a blocking reload over HTTP/2 lists the part it asked for."""
    if cdn.tls_port is None:
        pytest.skip("Varnish speaks no TLS: HTTP/2 in front of it takes a TLS proxy (docs/CDN.md)")
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    playlist = get(cdn.base_url, "/hls/demo/source/index.m3u8").text
    parts = [f"/hls/demo/source/{msn}.{part}.m4s" for msn, part in PART.findall(playlist)[-4:]]
    first, again = curl_http2(cdn, parts), curl_http2(cdn, parts)
    for answers in (first, again):
        assert [a[:2] for a in answers] == [["2", "200"]] * len(parts), answers
        assert sum(int(a[2]) for a in answers) == 1, f"more than one connection: {answers}"
    assert [a[3] for a in again] == ["HIT"] * len(parts), again
    msn, part = hint(get(cdn.base_url, "/hls/demo/source/index.m3u8").text)
    reload_body = tmp_path / "reload.m3u8"
    assert curl_http2(cdn, [blocking(msn, part)], str(reload_body))[0][:2] == ["2", "200"]
    assert lists_part(reload_body.read_text(), msn, part)
