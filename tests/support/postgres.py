"""A throwaway PostgreSQL cluster for the Python tests, as Tests/ControlTests/TestPostgres.swift
makes one for the Swift tests: `initdb` in a temporary directory, `pg_ctl start` on a free
loopback port with its socket in that directory (as the `postgres` user when the tests run as
root, since PostgreSQL refuses to run as root), fsync off. Debian's `postgresql` package provides
the binaries (`scripts/setup --tests` installs it). The cluster is stopped and its directory
deleted when the `throwaway_postgres` block ends, or by a watchdog once the test process is gone.
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from procutil import free_port

SERVER_USER = "postgres"  # the user the server runs as when the tests run as root
SUPERUSER = "antenne"  # the superuser initdb creates; trust authentication, loopback only
DATABASE = "antenne"


def bin_directory() -> Path | None:
    """The newest /usr/lib/postgresql/*/bin holding initdb, or None."""
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb") if os.access(p, os.X_OK)]
    found.sort(key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    return found[0] if found else None


def _run(cmd: list[str], directory: Path, what: str) -> None:
    # Output to a file, not a pipe: the server pg_ctl starts would hold a pipe open for good.
    output = directory / (what.replace(" ", "-") + ".out")
    with open(output, "wb") as out:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                              cwd=directory, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}): {output.read_text(errors='replace')}")


def _start_watchdog(run_as: list[str], bin_dir: Path, data: Path, directory: Path) -> None:
    """Stops the cluster and removes its directory once this process is gone, however it ends
    (a SIGKILL included); the normal teardown below gets there first."""
    script = (f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 0.5; done; "
              f"{shlex.join(run_as + [str(bin_dir / 'pg_ctl'), '-D', str(data), 'stop', '-m', 'immediate', '-w'])}"
              f" >/dev/null 2>&1; rm -rf {shlex.quote(str(directory))}")
    # `setsid -f` returns at once and leaves the watchdog in its own session.
    subprocess.run(["/usr/bin/setsid", "-f", "/bin/sh", "-c", script], stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=10)


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Starts a cluster with an empty database and yields its URL, in the form `--database-url`
    takes: postgres://antenne@127.0.0.1:PORT/antenne?tlsmode=disable."""
    bin_dir = bin_directory()
    if bin_dir is None:
        raise FileNotFoundError("no PostgreSQL server in /usr/lib/postgresql/*/bin: "
                                "run scripts/setup --tests (apt package postgresql)")
    # Not under pytest's tmp_path: /tmp/pytest-of-root is 0700, out of the postgres user's reach.
    directory = Path(tempfile.mkdtemp(prefix="antenne-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam(SERVER_USER)
        os.chown(directory, user.pw_uid, user.pw_gid)
        run_as = ["/usr/sbin/runuser", "-u", SERVER_USER, "--"]
    data = directory / "data"
    started = False
    try:
        _run(run_as + [str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust",
                       "--encoding=UTF8", "--locale=C", "--no-sync"], directory, "initdb")
        port = free_port()
        options = " ".join([
            f"-p {port}", f"-k {directory}", "-c listen_addresses=127.0.0.1",
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
        ])
        _run(run_as + [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(directory / "server.log"),
                       "-o", options, "-w", "-t", "60", "start"], directory, "pg_ctl start")
        started = True
        _start_watchdog(run_as, bin_dir, data, directory)
        _run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", SUPERUSER, DATABASE],
             directory, "createdb")
        yield f"postgres://{SUPERUSER}@127.0.0.1:{port}/{DATABASE}?tlsmode=disable"
    finally:
        if started:
            # Immediate shutdown: fine for a throwaway cluster.
            subprocess.run(run_as + [str(bin_dir / "pg_ctl"), "-D", str(data), "stop", "-m", "immediate", "-w"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           cwd=directory, timeout=60)
        shutil.rmtree(directory, ignore_errors=True)
