#!/usr/bin/env python3
"""Live spine benchmark: one RTMP publish in, HLS out, Antenne against nginx-rtmp.

For each server, one after the other in the same run, the same 720p30 H.264 + AAC file
is published in real time (ffmpeg -re -c copy) through an RTMP tap that timestamps every
keyframe when it has fully passed to the server. Measured per server:

  cpu        user+system CPU seconds of the server process tree over the publish
  rss        peak RSS (sum of VmHWM over the server process tree)
  latency    keyframe k fully sent -> segment k downloadable (200, body read)
             nginx-rtmp: fragment k of its playlist, found by polling every 10 ms;
             Antenne: part {k}.0.m4s of the `source` rendition, found with blocking
             playlist requests (?_HLS_msn=k&_HLS_part=0), or segment k without parts
  ttfb       time to first response byte of playlist and part/fragment requests made
             by a separate client loop (persistent connection): the playlist every
             100 ms, and each newest part/fragment once when it first appears

With --restream, Antenne alone: the same publish with 0, 1 and 2 restream destinations (each
a push to an nginx-rtmp sink on loopback), and the server tree's CPU (Antenne and its FFmpeg
pushes) for each; the difference over the 0-destination run, per destination, is the cost of
one destination.

With --ingest, Antenne alone: the same stream published over RTMP, RTMPS and SRT (MPEG-TS, the
same packets remuxed by ffmpeg -c copy), one after the other in each run, and the server tree's
CPU seconds per minute of stream for each, median over the runs, with SRT's and RTMPS's ratio to
RTMP: what a protocol costs the server beyond the shared packaging.

With --failover, Antenne alone: bench/failover.py's measurement (a primary and a backup encoder,
the primary killed `--switches` times), the time from the primary's last frame to the backup's
first part in the playlist, p50 and p99.

See bench/README.md.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from httpclient import Connection, HTTPError  # noqa: E402
from inotify import DirWatch  # noqa: E402
from rtmp_tap import RtmpTap  # noqa: E402

REPO = HERE.parent
OUT = HERE / "out"
NGINX_RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so"
CLK_TCK = os.sysconf("SC_CLK_TCK")
POLL_INTERVAL = 0.010
TTFB_INTERVAL = 0.100
SKIP_KEYFRAMES = 2  # the first two keyframes include connection and pipeline start-up
TAIL_WAIT = 8.0  # seconds after the publish ends to collect the last segments


# --------------------------------------------------------------------------- helpers

@functools.lru_cache(maxsize=None)
def no_srt(binary: str) -> tuple[str, ...]:
    """`--srt-port 0` (no SRT listener, so that servers side by side do not fight over UDP 9000)
    for a build that has SRT ingest; nothing for an older build being compared."""
    help_text = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True).stdout
    return ("--srt-port", "0") if "--srt-port" in help_text else ()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"port {port} not accepting after {timeout}s")


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if q < 100 else max(values)


def tail(path: Path, n: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for e in os.listdir("/proc"):
        if e.isdigit():
            try:
                stat = Path(f"/proc/{e}/stat").read_text()
            except OSError:
                continue
            out.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(e))
    return out


def process_tree(pid: int) -> list[int]:
    children, out, todo = _children(), [pid], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def tree_cpu_seconds(pid: int) -> float:
    """utime+stime of every live process in the tree, plus cutime+cstime (children that
    exited and were waited for), in seconds."""
    ticks = 0
    for p in process_tree(pid):
        try:
            f = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # Fields after the command: state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17)
        ticks += int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])
    return ticks / CLK_TCK


def tree_hwm_kib(pid: int) -> int:
    total = 0
    for p in process_tree(pid):
        try:
            m = re.search(r"^VmHWM:\s+(\d+) kB", Path(f"/proc/{p}/status").read_text(), re.M)
        except OSError:
            continue
        if m:
            total += int(m.group(1))
    return total


def kill_tree(proc: subprocess.Popen, grace: float = 5.0) -> None:
    pids = process_tree(proc.pid) if proc.poll() is None else []
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
        for p in pids:
            try:
                os.kill(p, sig)
            except ProcessLookupError:
                pass
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in pids[1:]):
            time.sleep(0.05)
        if not any(Path(f"/proc/{p}").exists() for p in pids[1:]):
            return


# --------------------------------------------------------------------------- source

def make_source(duration: int) -> Path:
    """720p30 H.264 (~3 Mbit/s, 2 B-frames, closed 2 s GOP) + AAC 48 kHz, cached in bench/out."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"source-720p30-3M-{duration}s.mp4"
    if path.exists() and path.stat().st_size > 0:
        return path
    tmp = path.with_suffix(".tmp.mp4")
    cmd = [
        "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", str(duration),
        # Temporal noise keeps x264 from undershooting 3 Mbit/s on a synthetic pattern.
        "-vf", "noise=alls=10:allf=t",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        "-b:v", "3M", "-maxrate", "3M", "-bufsize", "6M",
        "-bf", "2", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0",
        "-c:a", "aac", "-b:a", "128k", "-ar", "48000",
        "-movflags", "+faststart", str(tmp),
    ]
    print(f"generating {path.name} ...", file=sys.stderr)
    subprocess.run(cmd, check=True)
    tmp.rename(path)
    return path


# --------------------------------------------------------------------------- playlists

@dataclass
class MediaPlaylist:
    media_sequence: int = 0
    segments: list[tuple[int, str, float]] = field(default_factory=list)  # (msn, uri, duration)
    parts: dict[int, list[str]] = field(default_factory=dict)  # msn -> part URIs in order
    part_target: float | None = None
    can_block: bool = False
    ended: bool = False


def parse_media_playlist(text: str) -> MediaPlaylist:
    pl = MediaPlaylist()
    duration = None
    msn = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#EXT-X-MEDIA-SEQUENCE:"):
            pl.media_sequence = int(line.split(":", 1)[1])
        elif line.startswith("#EXT-X-PART-INF:"):
            m = re.search(r"PART-TARGET=([\d.]+)", line)
            pl.part_target = float(m.group(1)) if m else None
        elif line.startswith("#EXT-X-SERVER-CONTROL:"):
            pl.can_block = "CAN-BLOCK-RELOAD=YES" in line
        elif line.startswith("#EXT-X-ENDLIST"):
            pl.ended = True
        elif line.startswith("#EXTINF:"):
            duration = float(line.split(":", 1)[1].split(",", 1)[0])
        elif line.startswith("#EXT-X-PART:"):
            if msn is None:
                msn = pl.media_sequence
            m = re.search(r'URI="([^"]+)"', line)
            if m:
                pl.parts.setdefault(msn, []).append(m.group(1))
        elif not line.startswith("#"):
            if msn is None:
                msn = pl.media_sequence
            pl.segments.append((msn, line, duration or 0.0))
            duration = None
            msn += 1
    return pl


# --------------------------------------------------------------------------- watchers

class Watcher(threading.Thread):
    """Records, per media sequence number, when that segment (or its first part) was
    first downloaded with status 200."""

    def __init__(self, port: int, playlist_path: str, stop: threading.Event, use_parts: bool,
                 notify_dir: Path | None = None) -> None:
        super().__init__(daemon=True, name="latency")
        # When the server writes its playlist to a local directory, wake up when the
        # playlist file is replaced instead of polling it over HTTP (no request load).
        self.notify = DirWatch(str(notify_dir)) if notify_dir else None
        self.playlist_name = playlist_path.rsplit("/", 1)[1]
        self.port, self.playlist_path, self.stop_event = port, playlist_path, stop
        self.use_parts = use_parts
        self.available: dict[int, float] = {}  # msn -> monotonic time downloaded
        self.durations: dict[int, float] = {}  # msn -> EXTINF
        self.first_sequence: int | None = None
        self.mode = "poll"
        self.errors: list[str] = []
        self.conn = Connection("127.0.0.1", port)

    def _base(self) -> str:
        return self.playlist_path.rsplit("/", 1)[0] + "/"

    def _fetch_playlist(self, query: str = "", timeout: float | None = None) -> MediaPlaylist | None:
        path = self.playlist_path + (f"?{query}" if query else "")
        r = self.conn.get(path, timeout=timeout)
        if r.status != 200:
            return None
        pl = parse_media_playlist(r.body.decode("utf-8", "replace"))
        for msn, _, d in pl.segments:
            self.durations[msn] = d
        if self.first_sequence is None and (pl.segments or pl.parts):
            self.first_sequence = pl.segments[0][0] if pl.segments else min(pl.parts)
        return pl

    def _download(self, uri: str) -> float | None:
        r = self.conn.get(uri if uri.startswith("/") else self._base() + uri)
        return r.done if r.status == 200 else None

    def run(self) -> None:
        try:
            self._run()
        except Exception as exc:  # reported in the results, never swallowed
            if not self.stop_event.is_set():
                self.errors.append(repr(exc))
        finally:
            self.conn.close()
            if self.notify:
                self.notify.close()

    def _pause(self) -> None:
        """Until the playlist may have changed."""
        if self.notify:
            self.notify.wait(0.5, suffix=self.playlist_name)
        else:
            time.sleep(POLL_INTERVAL)

    def _run(self) -> None:
        pl = None
        while not self.stop_event.is_set():
            try:
                pl = self._fetch_playlist()
            except (OSError, HTTPError):
                pl = None
            if pl is not None and (pl.segments or pl.parts):
                break
            self._pause()
        if pl is None:
            return
        if self.use_parts and pl.can_block and pl.part_target:
            self.mode = "blocking-parts"
            self._run_blocking(pl)
        else:
            self.mode = "inotify-segments" if self.notify else "poll-segments"
            self._run_polling(pl)

    def _run_polling(self, pl: MediaPlaylist) -> None:
        while not self.stop_event.is_set():
            for msn, uri, _ in pl.segments:
                if msn not in self.available:
                    t = self._download(uri)
                    if t is not None:
                        self.available[msn] = t
            self._pause()
            try:
                pl = self._fetch_playlist() or pl
            except (OSError, HTTPError) as exc:
                if not self.stop_event.is_set():
                    self.errors.append(repr(exc))
                time.sleep(POLL_INTERVAL)

    def _run_blocking(self, pl: MediaPlaylist) -> None:
        msn = self.first_sequence
        while not self.stop_event.is_set():
            if pl is not None:
                uri = None
                if pl.parts.get(msn):
                    uri = pl.parts[msn][0]
                else:
                    # Parts are only listed for the newest segments (RFC 8216bis 4.4.4.9);
                    # an older segment is fetched whole (only at start-up).
                    uri = next((u for m, u, _ in pl.segments if m == msn), None)
                if uri is not None:
                    t = self._download(uri)
                    if t is not None:
                        self.available[msn] = t
                        msn += 1
                        continue
            try:
                # RFC 8216bis 6.2.5.2: the server holds the request until msn/part exists.
                new_pl = self._fetch_playlist(f"_HLS_msn={msn}&_HLS_part=0", timeout=15)
            except (OSError, HTTPError) as exc:
                if not self.stop_event.is_set():
                    self.errors.append(repr(exc))
                new_pl = None
            if new_pl is None or (pl is not None and new_pl.parts == pl.parts
                                  and new_pl.segments == pl.segments):
                time.sleep(POLL_INTERVAL)  # error, or a server that does not block
            pl = new_pl


class TtfbLoop(threading.Thread):
    """Every TTFB_INTERVAL: GET the playlist; when it lists a new newest part (or
    fragment, without parts), GET that once, as a player would."""

    def __init__(self, port: int, playlist_path: str, stop: threading.Event) -> None:
        super().__init__(daemon=True, name="ttfb")
        self.port, self.playlist_path, self.stop_event = port, playlist_path, stop
        self.playlist: list[float] = []
        self.media: list[float] = []
        self.errors: list[str] = []

    def run(self) -> None:
        conn = Connection("127.0.0.1", self.port)
        base = self.playlist_path.rsplit("/", 1)[0] + "/"
        last_uri = None
        try:
            while not self.stop_event.wait(TTFB_INTERVAL):
                try:
                    r = conn.get(self.playlist_path)
                    if r.status != 200:
                        continue
                    self.playlist.append(r.ttfb)
                    pl = parse_media_playlist(r.body.decode("utf-8", "replace"))
                    uri = None
                    if pl.parts:
                        uri = pl.parts[max(pl.parts)][-1]
                    elif pl.segments:
                        uri = pl.segments[-1][1]
                    if uri and uri != last_uri:
                        r = conn.get(uri if uri.startswith("/") else base + uri)
                        if r.status == 200:
                            self.media.append(r.ttfb)
                            last_uri = uri
                except (OSError, HTTPError) as exc:
                    if not self.stop_event.is_set():
                        self.errors.append(repr(exc))
                    conn.close()
        finally:
            conn.close()


# --------------------------------------------------------------------------- servers

class Server:
    name = "?"
    proc: subprocess.Popen
    http_port: int
    rtmp_port: int
    use_parts = False

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.key = "bench" + secrets.token_hex(6)
        self.log_path = workdir / f"{self.slug}.log"
        self._log = None

    @property
    def slug(self) -> str:
        return self.name.lower().replace(" ", "-")

    def publish_path(self) -> str:
        return f"live/{self.key}"

    def playlist_path(self) -> str:
        raise NotImplementedError

    def playlist_dir(self) -> Path | None:
        """Local directory the playlist is written to, if any."""
        return None

    def _spawn(self, cmd: list[str]) -> None:
        self._log = open(self.log_path, "wb")
        self._log.write(("$ " + " ".join(cmd) + "\n").encode())
        self._log.flush()
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=self.workdir,
                                     start_new_session=True)

    def stop(self) -> None:
        if getattr(self, "proc", None) is not None:
            kill_tree(self.proc)
        if self._log:
            self._log.close()


class NginxRtmp(Server):
    name = "nginx-rtmp"

    def start(self) -> None:
        if not Path(NGINX_RTMP_MODULE).exists():
            raise RuntimeError(f"{NGINX_RTMP_MODULE} missing (apt install libnginx-mod-rtmp)")
        self.http_port, self.rtmp_port = free_port(), free_port()
        prefix = self.workdir / "nginx"
        hls = prefix / "hls"
        for d in ("hls", "logs", "tmp"):
            (prefix / d).mkdir(parents=True, exist_ok=True)
        conf = prefix / "nginx.conf"
        conf.write_text(f"""
load_module {NGINX_RTMP_MODULE};
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log info;
events {{ worker_connections 1024; }}
rtmp {{
    server {{
        listen 127.0.0.1:{self.rtmp_port};
        chunk_size 4096;
        application live {{
            live on;
            record off;
            hls on;
            hls_path {hls};
            hls_fragment 2s;
            hls_playlist_length 60s;
        }}
    }}
}}
http {{
    access_log off;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    sendfile on;
    tcp_nodelay on;
    keepalive_requests 100000;
    types {{
        application/vnd.apple.mpegurl m3u8;
        video/mp2t ts;
    }}
    server {{
        listen 127.0.0.1:{self.http_port};
        location /hls/ {{
            alias {hls}/;
            add_header Cache-Control no-cache;
        }}
    }}
}}
""")
        # One process: no master/worker split, so /proc/PID covers all the work.
        self._spawn([shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(prefix), "-c", str(conf),
                     "-e", str(prefix / "logs" / "error.log"),
                     "-g", "daemon off; master_process off;"])
        wait_port(self.rtmp_port, 10, self.proc)
        wait_port(self.http_port, 10, self.proc)

    def playlist_path(self) -> str:
        return f"/hls/{self.key}.m3u8"

    def playlist_dir(self) -> Path:
        return self.workdir / "nginx" / "hls"


class Antenne(Server):
    name = "Antenne"
    use_parts = True

    def __init__(self, workdir: Path, binary: Path, extra: list[str]) -> None:
        super().__init__(workdir)
        self.binary, self.extra, self.channel = binary, extra, "bench"

    def start(self) -> None:
        if not os.access(self.binary, os.X_OK):
            raise RuntimeError(f"antenne binary not found at {self.binary} (set ANTENNE_BIN)")
        self.http_port, self.rtmp_port = free_port(), free_port()
        data = self.workdir / "antenne-data"
        data.mkdir(exist_ok=True)
        self._spawn([str(self.binary), "serve", "--http-port", str(self.http_port),
                     "--rtmp-port", str(self.rtmp_port), *no_srt(str(self.binary)), "--data-dir", str(data),
                     "--channel", f"{self.channel}:{self.key}", *self.extra])
        self.wait_ready()

    def wait_ready(self) -> None:
        """Until /readyz answers 200: every listener is bound."""
        deadline = time.monotonic() + 30
        conn = Connection("127.0.0.1", self.http_port, timeout=2)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"antenne exited with {self.proc.returncode}")
            try:
                if conn.get("/readyz").status == 200:
                    break
            except (OSError, HTTPError):
                conn.close()
            if time.monotonic() > deadline:
                raise TimeoutError("antenne /readyz not 200 after 30s")
            time.sleep(0.05)
        conn.close()

    def playlist_path(self) -> str:
        return f"/hls/{self.channel}/source/index.m3u8"


# --------------------------------------------------------------------------- one run

def measure(server: Server, source: Path, verbose: bool, clients: bool = True,
            poll: bool = False) -> dict:
    server.start()
    stop = threading.Event()
    tap = RtmpTap(server.rtmp_port).start()
    watcher = Watcher(server.http_port, server.playlist_path(), stop, server.use_parts,
                      None if poll else server.playlist_dir())
    ttfb = TtfbLoop(server.http_port, server.playlist_path(), stop)
    publisher = None
    try:
        if clients:
            watcher.start()
            ttfb.start()
        cpu0 = tree_cpu_seconds(server.proc.pid)
        t0 = time.monotonic()
        pub_log = server.workdir / f"{server.slug}-publisher.log"
        with open(pub_log, "wb") as log:
            publisher = subprocess.Popen(
                ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-re", "-i", str(source),
                 "-c", "copy", "-f", "flv", f"rtmp://127.0.0.1:{tap.port}/{server.publish_path()}"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
            rc = publisher.wait()
        publish_wall = time.monotonic() - t0
        cpu1 = tree_cpu_seconds(server.proc.pid)
        rss_kib = tree_hwm_kib(server.proc.pid)
        if rc != 0:
            raise RuntimeError(f"publisher exited with {rc}:\n{tail(pub_log)}")
        if server.proc.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.proc.returncode}")
        # Every keyframe but the last (whose segment is only closed by the next one,
        # or by the end of the stream) should become available shortly.
        wanted = len(tap.keyframes) - 1
        deadline = time.monotonic() + (TAIL_WAIT if clients else 0)
        while time.monotonic() < deadline and len(watcher.available) < wanted:
            time.sleep(0.1)
    finally:
        stop.set()
        if publisher is not None and publisher.poll() is None:
            kill_tree(publisher)
        tap.stop()
        server.stop()
        watcher.conn.close()  # unblocks a pending blocking request
        if clients:
            watcher.join(5)
            ttfb.join(5)
        elif watcher.notify:
            watcher.notify.close()

    kfs = tap.keyframes
    first = watcher.first_sequence or 0
    latencies, misaligned = [], []
    for k, kf in enumerate(kfs):
        msn = first + k
        if k >= SKIP_KEYFRAMES and msn in watcher.available:
            latencies.append(watcher.available[msn] - kf.wall)
        # Segment k must start at keyframe k: compare media start times.
        start = sum(watcher.durations.get(first + i, float("nan")) for i in range(k))
        media = (kf.rtmp_ts - kfs[0].rtmp_ts) / 1000
        if abs(start - media) > 0.1:
            misaligned.append((k, round(start, 3), round(media, 3)))
    if misaligned and verbose:
        print(f"[{server.name}] segment/keyframe misalignment (k, playlist start, keyframe ts): "
              f"{misaligned[:8]}", file=sys.stderr)
    result = {
        "server": server.name,
        "publish_wall_s": publish_wall,
        "cpu_s": cpu1 - cpu0,
        "rss_peak_mib": rss_kib / 1024,
        "keyframes": len(kfs),
        "video_messages": tap.video_messages,
        "segments_seen": len(watcher.available),
        "first_sequence": first,
        "latency_mode": watcher.mode,
        "latency_n": len(latencies),
        "latency_p50_ms": _ms(percentile(latencies, 50)),
        "latency_p99_ms": _ms(percentile(latencies, 99)),
        "latency_max_ms": _ms(max(latencies) if latencies else None),
        "ttfb_playlist_p50_ms": _ms(percentile(ttfb.playlist, 50)),
        "ttfb_playlist_p99_ms": _ms(percentile(ttfb.playlist, 99)),
        "ttfb_media_p50_ms": _ms(percentile(ttfb.media, 50)),
        "ttfb_media_p99_ms": _ms(percentile(ttfb.media, 99)),
        "ttfb_playlist_n": len(ttfb.playlist),
        "ttfb_media_n": len(ttfb.media),
        "misaligned_segments": len(misaligned),
        "errors": tap.errors + watcher.errors[:5] + ttfb.errors[:5],
    }
    if verbose:
        print(json.dumps(result, indent=1), file=sys.stderr)
    return result


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


# --------------------------------------------------------------------------- report

ROWS = [
    ("CPU over publish (s)", "cpu_s", "{:.3f}"),
    ("peak RSS (MiB)", "rss_peak_mib", "{:.1f}"),
    ("keyframe->available p50 (ms)", "latency_p50_ms", "{:.1f}"),
    ("keyframe->available p99 (ms)", "latency_p99_ms", "{:.1f}"),
    ("playlist TTFB p50 (ms)", "ttfb_playlist_p50_ms", "{:.2f}"),
    ("playlist TTFB p99 (ms)", "ttfb_playlist_p99_ms", "{:.2f}"),
    ("part/fragment TTFB p50 (ms)", "ttfb_media_p50_ms", "{:.2f}"),
    ("part/fragment TTFB p99 (ms)", "ttfb_media_p99_ms", "{:.2f}"),
    ("keyframes sent", "keyframes", "{:d}"),
    ("latency samples", "latency_n", "{:d}"),
]


def table(title: str, by_server: dict[str, dict]) -> str:
    a, n = by_server.get("Antenne"), by_server.get("nginx-rtmp")

    def fmt(res, key, f):
        v = res.get(key) if res else None
        return "-" if v is None else f.format(v)

    lines = [title, f"{'metric':<32}{'Antenne':>12}{'nginx-rtmp':>12}{'ratio':>9}",
             "-" * 65]
    for label, key, f in ROWS:
        va, vn = (a or {}).get(key), (n or {}).get(key)
        ratio = f"{va / vn:.2f}" if va is not None and vn else "-"
        lines.append(f"{label:<32}{fmt(a, key, f):>12}{fmt(n, key, f):>12}{ratio:>9}")
    for res in (a, n):
        if res:
            note = f"{res['server']}: latency via {res['latency_mode']}"
            if res["misaligned_segments"]:
                note += f"; {res['misaligned_segments']} segments not starting on their keyframe"
            if res["errors"]:
                note += f"; errors: {res['errors'][:3]}"
            lines.append(note)
    return "\n".join(lines)


def median_results(runs: list[dict[str, dict]]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for name in {s for run in runs for s in run}:
        results = [run[name] for run in runs if name in run]
        merged = {"server": name, "latency_mode": results[0]["latency_mode"],
                  "misaligned_segments": max(r["misaligned_segments"] for r in results),
                  "errors": [e for r in results for e in r["errors"]]}
        for _, key, f in ROWS:
            vals = [r[key] for r in results if r.get(key) is not None]
            if vals:
                m = statistics.median(vals)
                merged[key] = int(m) if f == "{:d}" else m
        out[name] = merged
    return out


# --------------------------------------------------------------------------- restream

def nginx_sink(workdir: Path) -> tuple[subprocess.Popen, int]:
    """nginx-rtmp taking live pushes on a free port (application `live`, nothing recorded)."""
    if not Path(NGINX_RTMP_MODULE).exists():
        raise RuntimeError(f"{NGINX_RTMP_MODULE} missing (apt install libnginx-mod-rtmp)")
    port = free_port()
    prefix = workdir / "sink"
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(f"""
load_module {NGINX_RTMP_MODULE};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
rtmp {{ server {{ listen 127.0.0.1:{port}; application live {{ live on; record off; }} }} }}
""")
    proc = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(prefix), "-c", str(conf),
                             "-e", str(prefix / "error.log"), "-g", "daemon off; master_process off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_port(port, 10, proc)
    return proc, port


def measure_restream(binary: Path, source: Path, destinations: int, verbose: bool) -> dict:
    """CPU of the Antenne tree over one publish of `source` with `destinations` pushes."""
    workdir = Path(tempfile.mkdtemp(prefix=f"live-spine-restream{destinations}-"))
    sink, sink_port = nginx_sink(workdir)
    key = "bench" + secrets.token_hex(6)
    config = workdir / "antenne.json"
    config.write_text(json.dumps({"channels": [{
        "name": "bench", "streamKey": key,
        "restream": [{"url": f"rtmp://127.0.0.1:{sink_port}/live", "streamKey": f"copy{i}"} for i in range(destinations)],
    }]}))
    server = Antenne(workdir, binary, [])
    server.key, server.channel = key, "bench"
    server.http_port, server.rtmp_port = free_port(), free_port()
    data = workdir / "antenne-data"
    data.mkdir()
    try:
        server._spawn([str(binary), "serve", "--http-port", str(server.http_port), "--rtmp-port", str(server.rtmp_port),
                       *no_srt(str(binary)), "--data-dir", str(data), "--config", str(config)])
        wait_port(server.http_port, 30, server.proc)
        wait_port(server.rtmp_port, 30, server.proc)
        cpu0 = tree_cpu_seconds(server.proc.pid)
        t0 = time.monotonic()
        publisher = subprocess.run(
            ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-i", str(source),
             "-c", "copy", "-f", "flv", f"rtmp://127.0.0.1:{server.rtmp_port}/live/{key}"],
            capture_output=True, text=True)
        wall = time.monotonic() - t0
        cpu1 = tree_cpu_seconds(server.proc.pid)
        if publisher.returncode != 0:
            raise RuntimeError(f"publisher exited with {publisher.returncode}: {publisher.stderr[-500:]}")
        log = server.log_path.read_text(errors="replace")
        started = log.count("push started")
        if started < destinations:
            raise RuntimeError(f"{started} of {destinations} pushes started\n{tail(server.log_path)}")
        result = {"destinations": destinations, "cpu_s": cpu1 - cpu0, "wall_s": wall,
                  "cpu_percent": 100 * (cpu1 - cpu0) / wall, "push_restarts": log.count("restarting FFmpeg")}
        if verbose:
            print(json.dumps(result), file=sys.stderr)
        return result
    finally:
        server.stop()
        kill_tree(sink)
        shutil.rmtree(workdir, ignore_errors=True)


def restream_main(binary: Path, source: Path, runs: int, duration: int, verbose: bool, json_path: Path | None) -> int:
    results: dict[int, list[dict]] = {n: [] for n in (0, 1, 2)}
    for _ in range(runs):
        for n in results:
            results[n].append(measure_restream(binary, source, n, verbose))
    cpu = {n: statistics.median(r["cpu_s"] for r in rs) for n, rs in results.items()}
    wall = statistics.median(r["wall_s"] for rs in results.values() for r in rs)
    print(f"\nrestream CPU ({duration} s publish, 720p30 ~3 Mbit/s, median of {runs} run(s); "
          "Antenne and its FFmpeg pushes)")
    print(f"{'destinations':<14}{'CPU (s)':>10}{'CPU (%)':>10}{'per destination (%)':>22}")
    for n, value in cpu.items():
        per = f"{100 * (value - cpu[0]) / n / wall:.2f}" if n else "-"
        print(f"{n:<14}{value:>10.2f}{100 * value / wall:>10.1f}{per:>22}")
    restarts = sum(r["push_restarts"] for rs in results.values() for r in rs)
    if restarts:
        print(f"note: {restarts} push restarts during the runs")
    if json_path:
        json_path.write_text(json.dumps(results, indent=1))
    return 0


# --------------------------------------------------------------------------- ingest protocols

INGEST_PROTOCOLS = ("rtmp", "rtmps", "srt")


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_certificate(workdir: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made now (RTMPS needs one)."""
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def measure_ingest(binary: Path, source: Path, protocol: str, verbose: bool) -> dict:
    """CPU of the Antenne tree over one real-time publish of `source` over `protocol`."""
    workdir = Path(tempfile.mkdtemp(prefix=f"live-spine-{protocol}-"))
    server = Antenne(workdir, binary, [])
    server.http_port, server.rtmp_port = free_port(), free_port()
    rtmps_port, https_port, srt_port = free_port(), free_port(), free_udp_port()
    cert, key = test_certificate(workdir)
    data = workdir / "antenne-data"
    data.mkdir()
    try:
        server._spawn([str(binary), "serve", "--http-port", str(server.http_port), "--rtmp-port", str(server.rtmp_port),
                       "--rtmps-port", str(rtmps_port), "--https-port", str(https_port), "--tls-cert", str(cert),
                       "--tls-key", str(key), "--srt-port", str(srt_port), "--data-dir", str(data),
                       "--channel", f"{server.channel}:{server.key}"])
        server.wait_ready()
        output = {
            "rtmp": ["-f", "flv", f"rtmp://127.0.0.1:{server.rtmp_port}/live/{server.key}"],
            "rtmps": ["-f", "flv", f"rtmps://127.0.0.1:{rtmps_port}/live/{server.key}"],
            "srt": ["-f", "mpegts", f"srt://127.0.0.1:{srt_port}?streamid=publish:{server.key}"],
        }[protocol]
        cpu0 = tree_cpu_seconds(server.proc.pid)
        t0 = time.monotonic()
        publisher = subprocess.run(
            ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-i", str(source), "-c", "copy", *output],
            capture_output=True, text=True)
        wall = time.monotonic() - t0
        cpu1 = tree_cpu_seconds(server.proc.pid)
        if publisher.returncode != 0:
            raise RuntimeError(f"{protocol} publisher exited with {publisher.returncode}: {publisher.stderr[-500:]}")
        conn = Connection("127.0.0.1", server.http_port, timeout=5)
        try:
            metrics = conn.get("/metrics").body.decode()
        finally:
            conn.close()
        if not re.search(rf'^antenne_ingest_connects_total\{{protocol="{protocol}"\}} [1-9]', metrics, re.M):
            raise RuntimeError(f"the {protocol} publish was not accepted\n{tail(server.log_path)}")
        result = {"protocol": protocol, "cpu_s": cpu1 - cpu0, "wall_s": wall,
                  "cpu_s_per_min": 60 * (cpu1 - cpu0) / wall}
        if verbose:
            print(json.dumps(result), file=sys.stderr)
        return result
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def ingest_main(binary: Path, source: Path, runs: int, duration: int, verbose: bool, json_path: Path | None) -> int:
    results: dict[str, list[dict]] = {p: [] for p in INGEST_PROTOCOLS}
    for _ in range(runs):
        for protocol in INGEST_PROTOCOLS:
            results[protocol].append(measure_ingest(binary, source, protocol, verbose))
    per_min = {p: statistics.median(r["cpu_s_per_min"] for r in rs) for p, rs in results.items()}
    print(f"\ningest CPU ({duration} s publish, 720p30 ~3 Mbit/s, -c copy, median of {runs} run(s); "
          "Antenne's process tree)")
    print(f"{'protocol':<10}{'CPU s per min of stream':>26}{'vs RTMP':>10}")
    for protocol, value in per_min.items():
        ratio = value / per_min["rtmp"] if per_min["rtmp"] > 0 else float("nan")
        print(f"{protocol.upper():<10}{value:>26.2f}{ratio:>10.2f}")
    if json_path:
        json_path.write_text(json.dumps(results, indent=1))
    return 0


# --------------------------------------------------------------------------- failover

def failover_main(binary: Path, switches: int, json_path: Path | None) -> int:
    """bench/failover.py's measurement and summary, with its defaults (GOP 0.5 s, parts 0.2 s)."""
    import failover  # bench/, on the path above

    print(f"\nfailover time over {switches} switches (primary killed, backup's first part in the playlist)")
    result, times = failover.measure(switches=switches, binary=binary)
    return failover.report(result, times, json_path)


# --------------------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=1, help="repetitions; medians are printed (default 1)")
    ap.add_argument("--only", choices=["antenne", "nginx"], help="measure one server only")
    ap.add_argument("--duration", type=int, default=60, help="source length in seconds (default 60)")
    ap.add_argument("--antenne-bin", default=os.environ.get("ANTENNE_BIN", ".build/debug/antenne"),
                    help="antenne binary, relative to the repo root (env ANTENNE_BIN)")
    ap.add_argument("--antenne-arg", action="append", default=[],
                    help="extra argument for `antenne serve` (repeatable)")
    ap.add_argument("--no-clients", action="store_true",
                    help="no HTTP clients during the publish: ingest and packaging CPU/RSS only")
    ap.add_argument("--poll", action="store_true",
                    help="find new nginx-rtmp fragments by polling the playlist over HTTP every "
                         "10 ms instead of inotify (adds ~100 requests/s of server load)")
    ap.add_argument("--json", type=Path, help="also write all results as JSON here")
    ap.add_argument("--keep", action="store_true", help="keep the temp dirs (logs, HLS output)")
    ap.add_argument("--restream", action="store_true",
                    help="Antenne only: CPU with 0, 1 and 2 restream destinations (nginx-rtmp sinks)")
    ap.add_argument("--ingest", action="store_true",
                    help="Antenne only: server CPU per minute of stream published over RTMP, RTMPS and SRT")
    ap.add_argument("--failover", action="store_true",
                    help="Antenne only: failover time to a backup input, p50 and p99 (bench/failover.py)")
    ap.add_argument("--switches", type=int, default=10, help="failovers measured with --failover (default 10)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    binary = Path(args.antenne_bin)
    if not binary.is_absolute():
        binary = REPO / binary
    if args.failover:
        return failover_main(binary, args.switches, args.json)
    source = make_source(args.duration)
    if args.restream:
        return restream_main(binary, source, args.runs, args.duration, args.verbose, args.json)
    if args.ingest:
        return ingest_main(binary, source, args.runs, args.duration, args.verbose, args.json)
    servers = [s for s in ("antenne", "nginx") if args.only in (None, s)]

    runs: list[dict[str, dict]] = []
    failed = False
    for i in range(args.runs):
        run: dict[str, dict] = {}
        for which in servers:
            workdir = Path(tempfile.mkdtemp(prefix=f"live-spine-{which}-"))
            server = Antenne(workdir, binary, args.antenne_arg) if which == "antenne" else NginxRtmp(workdir)
            try:
                run[server.name] = measure(server, source, args.verbose, not args.no_clients, args.poll)
            except Exception as exc:
                failed = True
                print(f"[{server.name}] run {i + 1} failed: {exc}\n--- server log ---\n"
                      f"{tail(server.log_path)}", file=sys.stderr)
            finally:
                if args.keep:
                    print(f"[{server.name}] kept {workdir}", file=sys.stderr)
                else:
                    shutil.rmtree(workdir, ignore_errors=True)
        runs.append(run)
        print(table(f"\nrun {i + 1}/{args.runs} ({args.duration} s publish, 720p30 ~3 Mbit/s)", run))
    if args.runs > 1:
        print(table(f"\nmedian over {args.runs} runs", median_results(runs)))
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
