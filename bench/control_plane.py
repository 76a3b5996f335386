#!/usr/bin/env python3
"""Control-plane benchmark: API and signed playback requests with 1,000 channels, SQLite and PostgreSQL.

For each backend, one after the other in the same run:

  sqlite      `antenne serve` with its default SQLite database in a temporary data directory;
  postgres    `antenne serve --database-url postgres://...` on a throwaway cluster that this
              script makes with Debian's initdb and pg_ctl (temporary directory, free loopback port).

Through the REST API the script creates an organisation, an admin API token of that organisation
and 1,000 channels (concurrently), among them `bench-public` (public) and `bench-token`
(visibility token), and a stream key for each of these two. One ffmpeg publishes a pre-encoded
360p30 test pattern (looped, -c copy) to both channels at once (tee muxer), so their segments and
parts have the same numbers and the same bytes. Then, at a fixed concurrency (keep-alive
connections, each a closed loop), for a fixed duration per phase, several rounds, endpoints
interleaved within each round:

  healthz     GET /healthz: the HTTP floor (no database, no media).
  lookup      GET /api/v1/channels/{id} with the organisation's token (authentication plus the
              channel query), cycling over the 1,000 ids.
  playlists   the multivariant and media playlists of the token channel with a signed URL
              (verified, then the token written into every URI), and the same two of the public
              channel for reference.
  parts       the same part {msn}.{part}.m4s (same number, same bytes) on the public channel
              without a token and on the token channel with a valid token. The machine is noisy,
              so each round alternates the two in short slices (ABBA ABBA ..., 8 x 0.5 s each)
              and adds up each variant's slices; each pair of slices asks for the newest part
              (a part stays available for about 10 s). A round runs twice: at full load (closed
              loops), and paced at one equal rate for both variants (half of what the clients
              reach), which compares the CPU per request without the effect of the request rate.

Per phase: p50/p99 latency (request written -> body read), requests/s, and server CPU per request:
the antenne process's CPU time over the phase (utime+stime: read to the nanosecond from
/proc/PID/task/*/schedstat, or from /proc/PID/stat), less the background rate (ingest of the two
live channels, the webhook sender) measured while no client runs, divided by the requests served.
On PostgreSQL the postgres processes' CPU per request (/proc/PID/stat) is shown next to it.
Each figure printed is the median over the rounds. The signature cost is the median over rounds
of (token part CPU/request) / (public part CPU/request) - 1 at the equal rate; it passes if under
5 %. The same ratio at full load, and the requests/s ratio, are printed next to it.

See bench/README.md.
"""

from __future__ import annotations

import argparse
import atexit
import ctypes
import glob
import http.client
import json
import os
import pwd
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import live_spine as ls  # noqa: E402
from httpclient import Connection, HTTPError  # noqa: E402

CHANNEL_PUBLIC = "bench-public"
CHANNEL_TOKEN = "bench-token"
RENDITION = "source"  # passthrough channels offer the encoder's stream as `source`
PLAYBACK_KEY_ID = "bench"
SIGNATURE_BUDGET = 0.05  # the issue: verifying the signature must add under 5 % to a part request
LIVE_TIMEOUT = 60.0  # seconds for a channel to announce its multivariant playlist (3 segments)
PG_USER = "antenne"


# --------------------------------------------------------------------------- children

class Children:
    """Everything this script starts, stopped on exit however it exits: normal return,
    exception, SIGINT, SIGTERM or SIGHUP. The server and ffmpeg also get SIGTERM from the kernel
    if this process dies (PR_SET_PDEATHSIG); PostgreSQL, which daemonises, has a watchdog."""

    def __init__(self) -> None:
        self._stops: list[tuple[str, callable]] = []
        self._lock = threading.Lock()
        atexit.register(self.stop_all)
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._on_signal)

    @staticmethod
    def _on_signal(signum, _frame) -> None:
        raise SystemExit(128 + signum)

    def add(self, name: str, stop) -> None:
        with self._lock:
            self._stops.append((name, stop))

    def stop_all(self) -> None:
        with self._lock:
            stops, self._stops = self._stops[::-1], []
        for name, stop in stops:
            try:
                stop()
            except Exception as exc:  # keep stopping the others
                print(f"stopping {name} failed: {exc!r}", file=sys.stderr)


CHILDREN: Children | None = None

_libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(cmd: list[str], log: Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.Popen:
    with open(log, "ab") as out:
        out.write(("$ " + " ".join(cmd) + "\n").encode())
        out.flush()
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, cwd=cwd, start_new_session=True, preexec_fn=_die_with_parent)


def cpu_seconds(pid: int) -> float:
    """utime+stime of one process (all its threads), from /proc/PID/stat, in 10 ms ticks."""
    f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / ls.CLK_TCK


def thread_runtimes(pid: int) -> dict[int, int]:
    """Nanoseconds on CPU of each live thread (/proc/PID/task/TID/schedstat, first field): the
    same time as utime+stime, to the nanosecond instead of the tick."""
    out = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            out[int(task)] = int(Path(f"/proc/{pid}/task/{task}/schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return out


def runtime_delta(a: dict[int, int], b: dict[int, int]) -> float:
    """Seconds on CPU between two `thread_runtimes` readings (threads born in between count
    from zero; a thread that ended in between loses its last moments)."""
    return sum(ns - a.get(tid, 0) for tid, ns in b.items()) / 1e9


def tree_self_cpu_seconds(pid: int) -> float:
    """utime+stime of every live process of a tree (PostgreSQL's postmaster and backends)."""
    total = 0.0
    for p in ls.process_tree(pid):
        try:
            total += cpu_seconds(p)
        except OSError:
            pass
    return total


# --------------------------------------------------------------------------- PostgreSQL

class Postgres:
    """A throwaway cluster: initdb in `workdir`, pg_ctl start on a free loopback port with its
    socket in `workdir`, as the `postgres` user when run as root (PostgreSQL refuses root)."""

    def __init__(self, workdir: Path, keep: bool) -> None:
        self.dir = workdir / "postgres"
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.keep = keep
        self.port = 0
        self.pid = 0
        versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                          key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
        if not versions:
            raise RuntimeError("no /usr/lib/postgresql/*/bin/initdb: apt-get install postgresql")
        self.bin = Path(versions[-1]).parent
        self.run_as: list[str] = []
        if os.getuid() == 0:
            self.run_as = ["/usr/sbin/runuser", "-u", "postgres", "--"]

    def _run(self, cmd: list[str], what: str) -> None:
        with open(self.dir / "commands.log", "ab") as out:
            out.write(("$ " + " ".join(cmd) + "\n").encode())
            out.flush()
            # pg_ctl leaves the server holding inherited descriptors: give it files only.
            rc = subprocess.call(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 cwd=self.dir, close_fds=True)
        if rc != 0:
            raise RuntimeError(f"{what} failed ({rc}):\n{ls.tail(self.dir / 'commands.log')}\n{ls.tail(self.log)}")

    def start(self) -> str:
        self.dir.mkdir(parents=True)
        if self.run_as:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            os.chmod(self.dir.parent, 0o755)
        self._run(self.run_as + [str(self.bin / "initdb"), "-D", str(self.data), "-U", PG_USER,
                                 "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"], "initdb")
        self.port = ls.free_port()
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self._run(self.run_as + [str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                                 "-o", options, "-w", "-t", "60", "start"], "pg_ctl start")
        self.pid = int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        CHILDREN.add("postgres", self.stop)
        self._watchdog()
        self._run([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", PG_USER,
                   "antenne"], "createdb")
        return f"postgres://{PG_USER}@127.0.0.1:{self.port}/antenne?tlsmode=disable"

    def _watchdog(self) -> None:
        """Stops the cluster (and deletes it unless --keep) once this script has exited, even
        after a SIGKILL."""
        q = lambda s: "'" + str(s).replace("'", "'\\''") + "'"  # noqa: E731
        script = (f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 0.5; done; "
                  f"{' '.join(map(q, self.run_as))} {q(self.bin / 'pg_ctl')} -D {q(self.data)} "
                  f"stop -m immediate -w >/dev/null 2>&1"
                  + ("" if self.keep else f"; rm -rf {q(self.dir)}"))
        subprocess.Popen(["/usr/bin/setsid", "-f", "/bin/sh", "-c", script], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True).wait()

    def stop(self) -> None:
        if not self.pid:
            return
        subprocess.call(self.run_as + [str(self.bin / "pg_ctl"), "-D", str(self.data), "stop", "-m", "fast",
                                       "-w", "-t", "30"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if Path(f"/proc/{self.pid}").exists():
            os.kill(self.pid, signal.SIGQUIT)
        self.pid = 0


# --------------------------------------------------------------------------- Antenne

class Antenne:
    def __init__(self, binary: Path, workdir: Path, database_url: str | None) -> None:
        self.binary, self.workdir, self.database_url = binary, workdir, database_url
        self.admin_token = "adm_" + secrets.token_urlsafe(24)
        self.playback_key = f"{PLAYBACK_KEY_ID}:{secrets.token_hex(32)}"
        self.log = workdir / "antenne.log"
        self.proc: subprocess.Popen | None = None
        self.http_port = self.rtmp_port = 0
        # A command the server runs under (a heap profiler: `heaptrack --raw -o FILE`).
        self.wrapper: list[str] = []

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["ANTENNE_ADMIN_TOKEN"] = self.admin_token
        env["ANTENNE_PLAYBACK_KEY"] = self.playback_key  # not on the command line
        return env

    def start(self, extra: list[str] | tuple[str, ...] = ()) -> None:
        if not os.access(self.binary, os.X_OK):
            raise RuntimeError(f"antenne binary not found at {self.binary} (build it, or set ANTENNE_BIN)")
        self.http_port, self.rtmp_port = ls.free_port(), ls.free_port()
        data = self.workdir / "data"
        cmd = [*self.wrapper, str(self.binary), "serve", "--host", "127.0.0.1", "--http-port", str(self.http_port),
               "--rtmp-port", str(self.rtmp_port), *ls.no_srt(str(self.binary)), "--data-dir", str(data)]
        if self.database_url:
            cmd += ["--database-url", self.database_url]
        cmd += list(extra)
        self.proc = spawn(cmd, self.log, env=self.env(), cwd=self.workdir)
        CHILDREN.add("antenne", self.stop)
        conn = Connection("127.0.0.1", self.http_port, timeout=2)
        deadline = time.monotonic() + 60
        try:
            while True:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"antenne exited with {self.proc.returncode}:\n{ls.tail(self.log)}")
                try:
                    if conn.get("/readyz").status == 200:
                        return
                except (OSError, HTTPError):
                    conn.close()
                if time.monotonic() > deadline:
                    raise TimeoutError("antenne /readyz not 200 after 60 s")
                time.sleep(0.05)
        finally:
            conn.close()

    def sign(self, channel: str, expires_in: int = 3600) -> str:
        """A playback token from `antenne sign-url`, with the server's key."""
        out = subprocess.run([str(self.binary), "sign-url", "--channel", channel, "--expires-in", str(expires_in),
                              "--base", f"http://127.0.0.1:{self.http_port}"],
                             env=self.env(), capture_output=True, text=True, check=True).stdout.strip()
        return out.split("?token=", 1)[1]

    def stop(self) -> None:
        if self.proc is not None:
            ls.kill_tree(self.proc)
            self.proc = None


# --------------------------------------------------------------------------- REST API

class API:
    """A keep-alive JSON client per thread."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self._local = threading.local()

    def call(self, method: str, path: str, body: dict | None = None, expect: int = 200) -> dict:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": f"Bearer {self.token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, "/api/v1/" + path, body=data, headers=headers)
            resp = conn.getresponse()
            text = resp.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            self._local.conn = None
            raise
        if resp.status != expect:
            raise RuntimeError(f"{method} /api/v1/{path}: {resp.status} {text[:300]!r}")
        return json.loads(text) if text else {}


@dataclass
class ControlPlane:
    organisation: str
    token: str
    channel_ids: list[str]
    ids: dict[str, str]  # name -> id of the two live channels
    stream_keys: dict[str, str]  # name -> stream key
    setup_s: float


def populate(server: Antenne, channels: int, concurrency: int) -> ControlPlane:
    t0 = time.monotonic()
    admin = API(server.http_port, server.admin_token)
    org = admin.call("POST", "organisations", {"name": "Bench Federation"}, expect=201)["id"]
    token = admin.call("POST", f"organisations/{org}/tokens", {"name": "bench", "role": "admin"}, expect=201)["secret"]
    api = API(server.http_port, token)
    ids = {CHANNEL_PUBLIC: api.call("POST", "channels", {"name": CHANNEL_PUBLIC}, expect=201)["id"],
           CHANNEL_TOKEN: api.call("POST", "channels", {"name": CHANNEL_TOKEN, "visibility": "token"},
                                   expect=201)["id"]}
    names = [f"ch-{i:04d}" for i in range(len(ids), channels)]
    with ThreadPoolExecutor(concurrency) as pool:
        created = list(pool.map(lambda n: api.call("POST", "channels", {"name": n}, expect=201)["id"], names))
    keys = {name: api.call("POST", f"channels/{cid}/keys", {"label": "bench encoder"}, expect=201)["secret"]
            for name, cid in ids.items()}
    elapsed = time.monotonic() - t0
    total = api.call("GET", "channels?limit=200")
    listed = len(total["items"])
    while total.get("nextCursor"):
        total = api.call("GET", f"channels?limit=200&after={total['nextCursor']}")
        listed += len(total["items"])
    if listed != channels:
        raise RuntimeError(f"created {channels} channels but the API lists {listed}")
    return ControlPlane(org, token, list(ids.values()) + created, ids, keys, elapsed)


# --------------------------------------------------------------------------- live media

def make_source() -> Path:
    """30 s of 640x360 30 fps testsrc2 + a tone, H.264 with a closed 2 s GOP, cached in bench/out.
    Published with -c copy so that the publisher costs next to no CPU during the measurements.
    FLV already, because the tee muxer passes the input's codec tags on (MP4's avc1 is refused)."""
    ls.OUT.mkdir(exist_ok=True)
    path = ls.OUT / "source-360p30-30s.flv"
    if path.exists() and path.stat().st_size > 0:
        return path
    tmp = path.with_suffix(".tmp.flv")
    subprocess.run([
        "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "30",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-b:v", "800k",
        "-g", "60", "-keyint_min", "60", "-sc_threshold", "0",
        "-c:a", "aac", "-b:a", "96k", "-ar", "48000", str(tmp),
    ], check=True)
    tmp.rename(path)
    return path


def publish(server: Antenne, keys: list[str], source: Path) -> subprocess.Popen:
    """One ffmpeg, one input, the same packets to every key (tee muxer)."""
    outputs = "|".join(f"[f=flv:onfail=abort]rtmp://127.0.0.1:{server.rtmp_port}/live/{k}" for k in keys)
    proc = spawn(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-re", "-stream_loop", "-1",
                  "-i", str(source), "-map", "0", "-c", "copy", "-f", "tee", outputs],
                 server.workdir / "publisher.log")
    stop = lambda: ls.kill_tree(proc)  # noqa: E731
    CHILDREN.add("ffmpeg", stop)
    return proc


def wait_live(server: Antenne, paths: list[str], publisher: subprocess.Popen) -> None:
    conn = Connection("127.0.0.1", server.http_port)
    deadline = time.monotonic() + LIVE_TIMEOUT
    try:
        for path in paths:
            while True:
                if publisher.poll() is not None:
                    raise RuntimeError(f"publisher exited with {publisher.returncode}:\n"
                                       f"{ls.tail(server.workdir / 'publisher.log')}")
                if conn.get(path).status == 200:
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{path} not 200 after {LIVE_TIMEOUT:.0f} s")
                time.sleep(0.2)
    finally:
        conn.close()


def fresh_part(port: int, token: str) -> str:
    """The newest part `{msn}.{part}.m4s` that both channels list."""
    conn = Connection("127.0.0.1", port)
    try:
        lists = []
        for channel, query in ((CHANNEL_PUBLIC, ""), (CHANNEL_TOKEN, f"?token={token}")):
            r = conn.get(f"/hls/{channel}/{RENDITION}/index.m3u8{query}")
            if r.status != 200:
                raise RuntimeError(f"{channel} media playlist: {r.status}")
            lists.append(ls.parse_media_playlist(r.body.decode()))
        names = [{u.split("?", 1)[0].rsplit("/", 1)[-1] for uris in pl.parts.values() for u in uris} for pl in lists]
        both = names[0] & names[1]
        if not both:
            raise RuntimeError("no part listed in both playlists")
        # The newest: it stays available longest (parts are dropped ~12 s after their segment).
        return max(both, key=lambda n: tuple(int(x) for x in n.split(".")[:2]))
    finally:
        conn.close()


# --------------------------------------------------------------------------- load

@dataclass
class Phase:
    name: str
    requests: int = 0
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    cpu: float = 0.0  # server process, seconds, background subtracted
    db_cpu: float | None = None  # postgres processes, seconds, background subtracted
    body_bytes: int = 0

    def summary(self) -> dict:
        ok = self.statuses.get(200, 0)
        return {
            "requests": self.requests,
            "non_200": self.requests - ok,
            "p50_ms": _ms(ls.percentile(self.latencies, 50)),
            "p99_ms": _ms(ls.percentile(self.latencies, 99)),
            "rps": self.requests / self.elapsed if self.elapsed else None,
            "cpu_us": self.cpu / self.requests * 1e6 if self.requests else None,
            "db_cpu_us": (self.db_cpu / self.requests * 1e6) if self.requests and self.db_cpu is not None else None,
            "body_bytes": self.body_bytes // max(self.requests, 1),
        }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


class Meter:
    """CPU of the server (and of PostgreSQL), with the background rate measured while idle.
    The server's CPU is read to the nanosecond from schedstat when the kernel has it (it has
    since 2.6), else from /proc/PID/stat."""

    def __init__(self, server_pid: int, db_pid: int | None) -> None:
        self.server_pid, self.db_pid = server_pid, db_pid
        self.precise = bool(thread_runtimes(server_pid))
        self.rate = 0.0
        self.db_rate = 0.0
        self.db_pids: list[int] = []
        self.refresh()

    def refresh(self) -> None:
        """Finds PostgreSQL's processes (the server's pooled connections are long-lived). Scanning
        /proc takes tens of milliseconds, too long to do at every reading."""
        self.db_pids = ls.process_tree(self.db_pid) if self.db_pid else []

    def read(self) -> tuple:
        db = None
        if self.db_pid:
            db = 0.0
            for pid in self.db_pids:
                try:
                    db += cpu_seconds(pid)
                except OSError:
                    pass
        server = thread_runtimes(self.server_pid) if self.precise else cpu_seconds(self.server_pid)
        return server, db, time.monotonic()

    def delta(self, a: tuple, b: tuple) -> tuple[float, float | None, float]:
        """Server CPU s, PostgreSQL CPU s, wall s between two readings, background not removed."""
        server = runtime_delta(a[0], b[0]) if self.precise else b[0] - a[0]
        db = b[1] - a[1] if a[1] is not None else None
        return server, db, b[2] - a[2]

    def calibrate(self, seconds: float) -> None:
        self.refresh()
        a = self.read()
        time.sleep(seconds)
        server, db, wall = self.delta(a, self.read())
        self.rate = server / wall
        self.db_rate = db / wall if db is not None else 0.0


class LoadPool:
    """`connections` keep-alive clients, each a closed loop (next request when the previous
    answer is read), kept across phases. `run` points them all at a list of paths (each client
    cycles through it from its own offset) for a duration."""

    def __init__(self, port: int, connections: int, meter: Meter) -> None:
        self.port, self.meter = port, meter
        self.n = connections
        self._start = threading.Barrier(connections + 1)
        self._end = threading.Barrier(connections + 1)
        self._job: tuple | None = None
        self._results: list = [None] * connections
        self._threads = [threading.Thread(target=self._client, args=(i,), daemon=True, name=f"load-{i}")
                         for i in range(connections)]
        for t in self._threads:
            t.start()

    def _client(self, i: int) -> None:
        conn = Connection("127.0.0.1", self.port)
        n = i * 7919
        try:
            while True:
                try:
                    self._start.wait()
                except threading.BrokenBarrierError:  # closed
                    return
                job = self._job
                if job is None:
                    return
                paths, headers, start, deadline, rate = job
                # Paced: each client sends one request every `interval` seconds, on a fixed
                # schedule (staggered between clients), or at once if it is behind.
                interval = self.n / rate if rate else 0.0
                due = start + interval * i / self.n
                lat: list[float] = []
                statuses: dict[int, int] = {}
                errors: list[str] = []
                nbytes = 0
                while (now := time.monotonic()) < deadline:
                    if interval:
                        if now < due:
                            time.sleep(due - now)
                        due += interval
                    n += 1
                    try:
                        r = conn.get(paths[n % len(paths)], headers=headers)
                    except Exception as exc:  # counted and shown, and the client goes on
                        errors.append(repr(exc))
                        conn.close()
                        continue
                    lat.append(r.done - r.sent)
                    statuses[r.status] = statuses.get(r.status, 0) + 1
                    nbytes += len(r.body)
                self._results[i] = (lat, statuses, errors, nbytes)
                try:
                    self._end.wait()
                except threading.BrokenBarrierError:  # closed
                    return
        finally:
            conn.close()

    def run(self, name: str, paths: list[str], headers: dict[str, str] | None, duration: float,
            rate: float | None = None) -> Phase:
        """`rate`: requests/s in all, paced; None: as fast as the closed loops go."""
        phase = Phase(name)
        before = self.meter.read()
        self._job = (paths, headers, before[2], before[2] + duration, rate)
        self._start.wait(timeout=60)
        self._end.wait(timeout=duration + 60)
        after = self.meter.read()
        cpu, db, phase.elapsed = self.meter.delta(before, after)
        for lat, statuses, errors, nbytes in self._results:
            phase.latencies += lat
            for code, count in statuses.items():
                phase.statuses[code] = phase.statuses.get(code, 0) + count
            phase.errors += errors[:5]
            phase.body_bytes += nbytes
        phase.requests = sum(phase.statuses.values())
        phase.cpu = max(0.0, cpu - self.meter.rate * phase.elapsed)
        if db is not None:
            phase.db_cpu = max(0.0, db - self.meter.db_rate * phase.elapsed)
        if phase.requests != phase.statuses.get(200, 0) or phase.errors:
            print(f"  [{name}] statuses {phase.statuses}, errors {phase.errors[:3]}", file=sys.stderr)
        return phase

    def close(self) -> None:
        """Stops the clients, between phases or in the middle of one (on an error)."""
        self._job = None
        self._start.abort()
        self._end.abort()
        for t in self._threads:
            t.join(15)  # a request in flight ends within the connection timeout


def merge(name: str, phases: list[Phase]) -> Phase:
    """The sub-phases of one variant within a round, as one phase."""
    out = Phase(name)
    for p in phases:
        out.requests += p.requests
        out.elapsed += p.elapsed
        out.latencies += p.latencies
        for code, count in p.statuses.items():
            out.statuses[code] = out.statuses.get(code, 0) + count
        out.errors += p.errors
        out.cpu += p.cpu
        out.db_cpu = None if p.db_cpu is None else (out.db_cpu or 0.0) + p.db_cpu
        out.body_bytes += p.body_bytes
    return out


# --------------------------------------------------------------------------- one backend

ENDPOINTS = [
    # key, label
    ("healthz", "GET /healthz (HTTP floor)"),
    ("lookup", "GET /api/v1/channels/{id}"),
    ("master_token", "master.m3u8, token channel, signed"),
    ("master_public", "master.m3u8, public channel"),
    ("media_token", "index.m3u8, token channel, signed"),
    ("media_public", "index.m3u8, public channel"),
    ("part_token", "part, token channel, signed"),
    ("part_public", "part, public channel, no token"),
]


def same_part_sizes(port: int, paths: list[str]) -> list[int | str]:
    """The body length of each path (the status when it is not 200)."""
    conn = Connection("127.0.0.1", port)
    try:
        out: list[int | str] = []
        for path in paths:
            r = conn.get(path)
            out.append(len(r.body) if r.status == 200 else f"status {r.status}")
        return out
    finally:
        conn.close()


def check_access(port: int, token: str, part: str) -> list[str]:
    """The token channel must refuse what it should: no token 401, a tampered one 403."""
    problems = []
    conn = Connection("127.0.0.1", port)
    base = f"/hls/{CHANNEL_TOKEN}/{RENDITION}/{part}"
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    try:
        for path, want in ((base, 401), (f"{base}?token={tampered}", 403), (f"{base}?token={token}", 200),
                           (f"/hls/{CHANNEL_PUBLIC}/{RENDITION}/{part}", 200)):
            got = conn.get(path).status
            if got != want:
                problems.append(f"{path.split('?')[0]}{'?token=…' if '?' in path else ''}: {got}, expected {want}")
    finally:
        conn.close()
    return problems


def measure_backend(backend: str, args, binary: Path, source: Path) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"control-plane-{backend}-"))
    os.chmod(workdir, 0o755)
    pg = None
    server = None
    publisher = None
    pool = None
    result: dict = {"backend": backend, "workdir": str(workdir)}
    log = lambda msg: print(f"[{backend}] {msg}", file=sys.stderr, flush=True)  # noqa: E731
    try:
        url = None
        if backend == "postgres":
            pg = Postgres(workdir, args.keep)
            url = pg.start()
        server = Antenne(binary, workdir, url)
        server.start()
        log(f"antenne up on :{server.http_port}; creating 1 organisation, 1 token, {args.channels} channels")
        cp = populate(server, args.channels, args.setup_concurrency)
        result["setup_s"] = cp.setup_s
        log(f"{args.channels} channels created in {cp.setup_s:.1f} s")

        token = server.sign(CHANNEL_TOKEN)
        publisher = publish(server, [cp.stream_keys[CHANNEL_PUBLIC], cp.stream_keys[CHANNEL_TOKEN]], source)
        published_at = time.monotonic()
        wait_live(server, [f"/hls/{CHANNEL_PUBLIC}/master.m3u8", f"/hls/{CHANNEL_TOKEN}/master.m3u8?token={token}"],
                  publisher)
        log(f"both channels live after {time.monotonic() - published_at:.1f} s")
        meter = Meter(server.proc.pid, pg.pid if pg else None)
        meter.calibrate(args.idle)
        result["background_cpu_pct"] = meter.rate * 100
        result["background_db_cpu_pct"] = meter.db_rate * 100 if pg else None
        result["cpu_source"] = "schedstat" if meter.precise else "stat"
        log(f"background CPU while idle: antenne {meter.rate * 100:.1f} %"
            + (f", postgres {meter.db_rate * 100:.1f} %" if pg else ""))
        pool = LoadPool(server.http_port, args.connections, meter)

        auth = {"Authorization": f"Bearer {cp.token}"}
        api = {
            "healthz": (["/healthz"], None),
            "lookup": ([f"/api/v1/channels/{cid}" for cid in cp.channel_ids], auth),
        }
        playlists = {
            "master_token": ([f"/hls/{CHANNEL_TOKEN}/master.m3u8?token={token}"], None),
            "master_public": ([f"/hls/{CHANNEL_PUBLIC}/master.m3u8"], None),
            "media_token": ([f"/hls/{CHANNEL_TOKEN}/{RENDITION}/index.m3u8?token={token}"], None),
            "media_public": ([f"/hls/{CHANNEL_PUBLIC}/{RENDITION}/index.m3u8"], None),
        }
        rounds: dict[str, list[dict]] = {k: [] for k, _ in ENDPOINTS}

        def alive() -> None:
            if publisher.poll() is not None:
                raise RuntimeError(f"publisher exited with {publisher.returncode}")
            if server.proc.poll() is not None:
                raise RuntimeError(f"antenne exited with {server.proc.returncode}:\n{ls.tail(server.log)}")

        def run(key: str, paths: list[str], headers) -> dict:
            summary = pool.run(key, paths, headers, args.duration).summary()
            rounds[key].append(summary)
            alive()
            return summary

        for paths, headers in list(api.values()) + list(playlists.values()):  # warm-up, not counted
            pool.run("warm-up", paths, headers, 0.5)
        meter.calibrate(args.idle)  # again, now that every pooled database connection is open

        log(f"API: {args.rounds} rounds of {args.duration:g} s per endpoint, {args.connections} connections")
        for _ in range(args.rounds):
            for key, (paths, headers) in api.items():
                run(key, paths, headers)

        variants = lambda part: {  # noqa: E731
            "part_public": [f"/hls/{CHANNEL_PUBLIC}/{RENDITION}/{part}"],
            "part_token": [f"/hls/{CHANNEL_TOKEN}/{RENDITION}/{part}?token={token}"],
        }

        def alternate(i: int, rate: float | None) -> dict[str, Phase]:
            """One round of the part comparison: ABBA ABBA ... slices. Each pair of slices asks
            for the same part, the newest one (a part stays available for about 10 s)."""
            order = ["part_public", "part_token"] if i % 2 == 0 else ["part_token", "part_public"]
            slices: dict[str, list[Phase]] = {k: [] for k in order}
            for j in range(args.pairs):
                paths = variants(fresh_part(server.http_port, token))
                sizes = same_part_sizes(server.http_port, [p[0] for p in paths.values()])
                if len(set(sizes)) != 1:
                    mismatches.append(f"{paths['part_public'][0]}: {sizes}")
                for key in (order if j % 2 == 0 else order[::-1]):
                    slices[key].append(pool.run(key, paths[key], None, args.slice, rate))
            alive()
            return {key: merge(key, phases) for key, phases in slices.items()}

        mismatches: list[str] = []
        access_problems = check_access(server.http_port, token, fresh_part(server.http_port, token))
        for p in access_problems:
            log(f"ACCESS PROBLEM: {p}")
        rate = args.part_rate
        if not rate:
            # Half of what the clients reach on the public part: high enough that the server
            # works in batches as under real load, low enough that both variants keep it up.
            probe = pool.run("probe", variants(fresh_part(server.http_port, token))["part_public"], None, 1.0)
            rate = max(100, round(probe.requests / probe.elapsed / 2, -2))
        result["part_rate"] = rate
        log(f"parts: public without token against token channel with token, {args.part_rounds} rounds of "
            f"{args.pairs} x {args.slice:g} s each, alternating ABBA, at full load and at {rate:.0f} req/s")
        ratios: list[dict] = []
        for i in range(args.part_rounds):
            full = {k: p.summary() for k, p in alternate(i, None).items()}
            paced = {k: p.summary() for k, p in alternate(i, rate).items()}
            for key, summary in full.items():
                rounds[key].append(summary)
            pub, tok = full["part_public"], full["part_token"]
            ppub, ptok = paced["part_public"], paced["part_token"]
            ratios.append({
                "cpu_ratio_paced": ptok["cpu_us"] / ppub["cpu_us"] if ppub["cpu_us"] else None,
                "cpu_ratio": tok["cpu_us"] / pub["cpu_us"] if pub["cpu_us"] else None,
                "rps_ratio": tok["rps"] / pub["rps"] if pub["rps"] else None,
                "p50_ratio": tok["p50_ms"] / pub["p50_ms"] if pub["p50_ms"] else None,
                "paced": paced,
            })

        # Playlists last: by now the live window is (nearly) full, so they have their steady size.
        wait = args.window_wait - (time.monotonic() - published_at)
        if wait > 0:
            log(f"waiting {wait:.0f} s for the live window to fill")
            time.sleep(wait)
        log("playlists")
        for _ in range(args.rounds):
            for key, (paths, headers) in playlists.items():
                run(key, paths, headers)

        result["rounds"] = rounds
        result["median"] = {k: median_summary(v) for k, v in rounds.items() if v}
        def med(key: str) -> tuple[float | None, float | None, float | None]:
            values = [r[key] for r in ratios if r[key]]
            if not values:
                return None, None, None
            return statistics.median(values) - 1, min(values) - 1, max(values) - 1

        paced_overhead, paced_min, paced_max = med("cpu_ratio_paced")
        full_overhead, full_min, full_max = med("cpu_ratio")
        result["signature"] = {
            "rounds": ratios,
            "rate": rate,
            "cpu_overhead": paced_overhead, "cpu_overhead_min": paced_min, "cpu_overhead_max": paced_max,
            "cpu_overhead_full": full_overhead, "cpu_overhead_full_min": full_min,
            "cpu_overhead_full_max": full_max,
            "rps_change": med("rps_ratio")[0],
            "p50_change": med("p50_ratio")[0],
            "same_bytes": not mismatches,
            "mismatches": mismatches[:10],
            "paced_cpu_us": {k: statistics.median([r["paced"][k]["cpu_us"] for r in ratios])
                             for k in ("part_public", "part_token")},
            "paced_rps": {k: statistics.median([r["paced"][k]["rps"] for r in ratios])
                          for k in ("part_public", "part_token")},
        }
        result["access_problems"] = access_problems
        result["server_errors"] = server_errors(server.log)
    finally:
        if pool is not None:
            pool.close()
        if publisher is not None:
            ls.kill_tree(publisher)
        if server is not None:
            server.stop()
        if pg is not None:
            pg.stop()
        if args.keep:
            print(f"[{backend}] kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return result


def server_errors(log: Path) -> list[str]:
    """Error and critical lines of the server log (the run should have none)."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return []
    return [line for line in lines if " error " in line or " critical " in line][:10]


def median_summary(rounds: list[dict]) -> dict:
    out = {}
    for key in rounds[0]:
        values = [r[key] for r in rounds if r.get(key) is not None]
        out[key] = statistics.median(values) if values else None
    out["requests"] = sum(r["requests"] for r in rounds)
    out["non_200"] = sum(r["non_200"] for r in rounds)
    return out


# --------------------------------------------------------------------------- report

def fmt(v, f: str) -> str:
    return "-" if v is None else f.format(v)


def verdict(sig: dict) -> str:
    o = sig.get("cpu_overhead")
    if o is None:
        return "no result"
    return "PASS" if o < SIGNATURE_BUDGET else "FAIL"


def backend_table(res: dict, args) -> str:
    pg = res["backend"] == "postgres"
    title = (f"{'PostgreSQL' if pg else 'SQLite'}: {args.channels:,} channels, {args.connections} connections, "
             f"median of {args.rounds} rounds of {args.duration:g} s\n(parts: {args.part_rounds} rounds of "
             f"{args.pairs} x {args.slice:g} s slices per variant, full load)")
    head = f"{'request':<38}{'p50 ms':>8}{'p99 ms':>8}{'req/s':>9}{'CPU us/req':>12}"
    if pg:
        head += f"{'pg us/req':>11}"
    lines = [title, head, "-" * len(head)]
    for key, label in ENDPOINTS:
        m = res["median"].get(key)
        if not m:
            continue
        row = (f"{label:<38}{fmt(m['p50_ms'], '{:.2f}'):>8}{fmt(m['p99_ms'], '{:.2f}'):>8}"
               f"{fmt(m['rps'], '{:.0f}'):>9}{fmt(m['cpu_us'], '{:.0f}'):>12}")
        if pg:
            row += f"{fmt(m['db_cpu_us'], '{:.0f}'):>11}"
        if m["non_200"]:
            row += f"  ({m['non_200']} not 200)"
        lines.append(row)
    sig = res["signature"]
    pct = lambda key: fmt(_pct(sig[key]), "{:+.1f}")  # noqa: E731
    lines.append(
        f"signature cost on a part, both at {sig['paced_rps']['part_public']:.0f} req/s: server CPU/request "
        f"{fmt(sig['paced_cpu_us']['part_public'], '{:.1f}')} -> {fmt(sig['paced_cpu_us']['part_token'], '{:.1f}')} us, "
        f"{pct('cpu_overhead')} % (rounds {pct('cpu_overhead_min')} .. {pct('cpu_overhead_max')} %): "
        f"{verdict(sig)} (budget < {SIGNATURE_BUDGET * 100:.0f} %)")
    lines.append(
        f"  at full load: server CPU/request {pct('cpu_overhead_full')} % (rounds {pct('cpu_overhead_full_min')} .. "
        f"{pct('cpu_overhead_full_max')} %), req/s {pct('rps_change')} %, p50 {pct('p50_change')} %")
    rates = sig["paced_rps"]
    if rates["part_public"] and abs(rates["part_token"] / rates["part_public"] - 1) > 0.03:
        lines.append(f"note: the paced phases ran at {rates['part_public']:.0f} (public) and "
                     f"{rates['part_token']:.0f} req/s (token): not equal; lower --part-rate")
    if not sig["same_bytes"]:
        lines.append(f"note: the two variants' parts differed: {sig['mismatches'][:3]}")
    lines.append(f"setup: {args.channels:,} channels created through the API in {res['setup_s']:.1f} s "
                 f"({args.channels / res['setup_s']:.0f}/s); background CPU while idle "
                 f"{res['background_cpu_pct']:.1f} %" + (f", postgres {res['background_db_cpu_pct']:.1f} %" if pg else ""))
    for p in res["access_problems"]:
        lines.append(f"ACCESS PROBLEM: {p}")
    for e in res["server_errors"]:
        lines.append(f"server log: {e}")
    return "\n".join(lines)


def _pct(x: float | None) -> float | None:
    return None if x is None else x * 100


def comparison_table(results: dict[str, dict]) -> str:
    s, p = results.get("sqlite"), results.get("postgres")
    head = (f"{'request':<38}{'SQLite p50':>11}{'p99':>7}{'req/s':>7}"
            f"{'PG p50':>9}{'p99':>7}{'req/s':>7}{'req/s PG/SQLite':>17}")
    lines = ["SQLite against PostgreSQL (medians; ms, requests/s)", head, "-" * len(head)]
    for key, label in ENDPOINTS:
        ms, mp = (s or {}).get("median", {}).get(key), (p or {}).get("median", {}).get(key)
        if not ms and not mp:
            continue
        ms, mp = ms or {}, mp or {}
        ratio = f"{mp['rps'] / ms['rps']:.2f}" if ms.get("rps") and mp.get("rps") else "-"
        lines.append(f"{label:<38}{fmt(ms.get('p50_ms'), '{:.2f}'):>11}{fmt(ms.get('p99_ms'), '{:.2f}'):>7}"
                     f"{fmt(ms.get('rps'), '{:.0f}'):>7}{fmt(mp.get('p50_ms'), '{:.2f}'):>9}"
                     f"{fmt(mp.get('p99_ms'), '{:.2f}'):>7}{fmt(mp.get('rps'), '{:.0f}'):>7}{ratio:>17}")
    for name, res in (("SQLite", s), ("PostgreSQL", p)):
        if res:
            sig = res["signature"]
            lines.append(f"signature cost on a part, {name}: {fmt(_pct(sig['cpu_overhead']), '{:+.1f}')} % server "
                         f"CPU/request at {sig['paced_rps']['part_public']:.0f} req/s ({fmt(_pct(sig['cpu_overhead_full']), '{:+.1f}')} % "
                         f"at full load, {fmt(_pct(sig['rps_change']), '{:+.1f}')} % req/s): {verdict(sig)}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main

def main() -> int:
    global CHILDREN
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5, help="rounds per endpoint; medians are printed (default 5)")
    ap.add_argument("--duration", type=float, default=3.0, help="seconds per endpoint and round (default 3)")
    ap.add_argument("--connections", type=int, default=4, help="concurrent keep-alive connections (default 4)")
    ap.add_argument("--part-rounds", type=int, default=10,
                    help="rounds of the part comparison (default 10; each takes about 20 s)")
    ap.add_argument("--pairs", type=int, default=8,
                    help="part comparison: slices of each variant per round, alternated ABBA (default 8)")
    ap.add_argument("--slice", type=float, default=0.5, help="part comparison: seconds per slice (default 0.5)")
    ap.add_argument("--part-rate", type=float,
                    help="part comparison: the equal request rate, req/s in all (default: half of what the "
                         "clients reach on the public part)")
    ap.add_argument("--channels", type=int, default=1000, help="channels in the database (default 1000)")
    ap.add_argument("--setup-concurrency", type=int, default=8, help="concurrent API calls while creating channels")
    ap.add_argument("--only", choices=["sqlite", "postgres"], help="measure one backend only")
    ap.add_argument("--idle", type=float, default=5.0,
                    help="seconds without clients to measure the background CPU rate (default 5)")
    ap.add_argument("--window-wait", type=float, default=62.0,
                    help="measure playlists no earlier than this many seconds after the publish starts, "
                         "so the 60 s live window is full (default 62)")
    ap.add_argument("--antenne-bin", default=os.environ.get("ANTENNE_BIN", ".build/release/antenne"),
                    help="antenne binary, relative to the repo root (env ANTENNE_BIN)")
    ap.add_argument("--json", type=Path, help="also write all results as JSON here")
    ap.add_argument("--keep", action="store_true", help="keep the temp dirs (server log, PostgreSQL cluster)")
    args = ap.parse_args()
    if args.slice > 4:
        ap.error("--slice at most 4 s: a pair of slices asks for one part, which stays available ~10 s")
    if not 2 <= args.channels <= 1000:
        ap.error("--channels is 2 to 1000 (the per-organisation limit)")

    CHILDREN = Children()
    binary = Path(args.antenne_bin)
    if not binary.is_absolute():
        binary = ls.REPO / binary
    source = make_source()
    backends = [b for b in ("sqlite", "postgres") if args.only in (None, b)]
    results: dict[str, dict] = {}
    failed = False
    try:
        for backend in backends:
            try:
                results[backend] = measure_backend(backend, args, binary, source)
            except Exception as exc:
                failed = True
                print(f"[{backend}] failed: {exc}", file=sys.stderr)
                continue
            print("\n" + backend_table(results[backend], args), flush=True)
        if len(results) > 1:
            print("\n" + comparison_table(results))
    except KeyboardInterrupt:
        failed = True
        print("interrupted", file=sys.stderr)
    finally:
        CHILDREN.stop_all()
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) if isinstance(v, Path) else v
                                                  for k, v in vars(args).items()},
                                         "results": results}, indent=1))
    if failed:
        return 1
    return 0 if all(verdict(r["signature"]) == "PASS" and not r["access_problems"] for r in results.values()) else 2


if __name__ == "__main__":
    sys.exit(main())
