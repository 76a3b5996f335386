"""nginx's proxy_cache and Varnish in front of an Antenne origin, run from the configurations in
deploy/ as they are (only the addresses, ports and paths changed), for tests/cdn and
bench/delivery.py.

Each runs in the foreground in a temporary directory of its own, on a free loopback port, and is
killed with its process tree when its block ends. Run as root, both run as `nobody`: they need
no privilege, and a cache must not hold more rights than it needs.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from certificates import make_certificate
from procutil import free_port, kill_tree, log_tail

REPO_ROOT = Path(__file__).resolve().parents[2]
NGINX_CONF = REPO_ROOT / "deploy" / "nginx" / "antenne-cache.conf"
VARNISH_VCL = REPO_ROOT / "deploy" / "varnish" / "antenne.vcl"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
# nginx starts in well under a second; varnishd compiles its VCL with the C compiler first.
START_TIMEOUT = 30.0


def available(name: str) -> bool:
    return Path(NGINX if name == "nginx" else VARNISHD).exists()


@dataclass
class CacheServer:
    name: str
    process: subprocess.Popen
    port: int
    work: Path
    # What the cache did with each request (nginx's access log); None for Varnish.
    access_log: Path | None
    # The HTTPS port (HTTP/1.1 and HTTP/2, a certificate made at test time); None for Varnish,
    # which speaks no TLS.
    tls_port: int | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")

    def log_tail(self) -> str:
        return "\n".join(log_tail(path, 30) for path in sorted(self.work.glob("*.log")))


def _substituted(text: str, replacements: list[tuple[str, str]]) -> str:
    """`text` with each placeholder replaced; each must occur exactly once, so that the shipped
    configuration cannot drift away from what is tested."""
    for old, new in replacements:
        count = text.count(old)
        if count != 1:
            raise AssertionError(f"{old!r} occurs {count} times in the shipped configuration, not once")
        text = text.replace(old, new)
    return text


def _unprivileged(work: Path) -> list[str]:
    """The command prefix that drops root to `nobody`, who then owns `work`; none otherwise."""
    if os.geteuid() != 0:
        return []
    nobody = pwd.getpwnam("nobody")
    for path in [work, *work.rglob("*")]:
        os.chown(path, nobody.pw_uid, nobody.pw_gid)
    return ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]


def _wait_ready(server: CacheServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url("/healthz"), timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{server.name} not answering after {START_TIMEOUT:.0f} s\n{server.log_tail()}")


@contextmanager
def _running(name: str, cmd: list[str], port: int, work: Path, access_log: Path | None,
             tls_port: int | None = None) -> Iterator[CacheServer]:
    prefix = _unprivileged(work)
    with open(work / f"{name}.out.log", "wb") as out:
        proc = subprocess.Popen([*prefix, *cmd], stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=work, start_new_session=True)
    server = CacheServer(name, proc, port, work, access_log, tls_port)
    try:
        _wait_ready(server)
        yield server
    finally:
        kill_tree(proc)
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def running_nginx(origin_port: int) -> Iterator[CacheServer]:
    """deploy/nginx/antenne-cache.conf in front of the origin on `origin_port`, with its HTTPS and
    HTTP/2 lines in force (a certificate made here)."""
    work = Path(tempfile.mkdtemp(prefix="antenne-nginx-"))
    port, tls_port = free_port(), free_port()
    access_log = work / "access.log"
    cert, key = make_certificate(work / "tls", "antenne-cache")
    site = _substituted(NGINX_CONF.read_text(), [
        ("/var/cache/nginx/antenne", str(work / "cache")),
        ("server 127.0.0.1:8080;", f"server 127.0.0.1:{origin_port};"),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("# listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;"),
        ("# ssl_certificate /etc/ssl/antenne.pem;", f"ssl_certificate {cert};"),
        ("# ssl_certificate_key /etc/ssl/antenne.key;", f"ssl_certificate_key {key};"),
        ("/var/log/nginx/antenne-cache.log", str(access_log)),
    ])
    (work / "antenne-cache.conf").write_text(site)
    temp = "\n".join(f"    {kind}_temp_path {work / (kind + '_temp')};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (work / "nginx.conf").write_text(f"""daemon off;
worker_processes 1;
pid {work / 'nginx.pid'};
error_log {work / 'error.log'} warn;
events {{ worker_connections 4096; }}
http {{
{temp}
    access_log off;
    include {work / 'antenne-cache.conf'};
}}
""")
    with _running("nginx", [NGINX, "-p", str(work), "-c", str(work / "nginx.conf")], port, work, access_log, tls_port) as server:
        yield server


@contextmanager
def running_varnish(origin_port: int) -> Iterator[CacheServer]:
    """deploy/varnish/antenne.vcl in front of the origin on `origin_port`, 256 MiB in memory."""
    work = Path(tempfile.mkdtemp(prefix="antenne-varnish-"))
    port = free_port()
    vcl = _substituted(VARNISH_VCL.read_text(), [('.port = "8080";', f'.port = "{origin_port}";')])
    (work / "antenne.vcl").write_text(vcl)
    cmd = [VARNISHD, "-F", "-j", "none", "-n", str(work / "instance"), "-a", f"127.0.0.1:{port}",
           "-f", str(work / "antenne.vcl"), "-s", "malloc,256m"]
    with _running("varnish", cmd, port, work, None) as server:
        yield server


RUNNERS = {"nginx": running_nginx, "varnish": running_varnish}


def origin_responses(origin_url: str) -> dict[str, float]:
    """Antenne's own count of the playback responses it wrote, by kind (`part`, `segment`,
    `mediaPlaylist`, `blockingReload`, …), all statuses: what reached the origin."""
    with urllib.request.urlopen(origin_url.rstrip("/") + "/metrics", timeout=5) as response:
        text = response.read().decode()
    counts: dict[str, float] = {}
    for kind, value in re.findall(r'^antenne_playback_responses_total\{kind="([^"]+)",status="[^"]+"\} (\S+)$', text, re.M):
        counts[kind] = counts.get(kind, 0.0) + float(value)
    return counts
