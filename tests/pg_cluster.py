"""A throwaway PostgreSQL server for the team-mode tests (and bench/team.py).

The system package's binaries (`/usr/lib/postgresql/<version>/bin`, installed
by ./rr when it may, as ffmpeg is) run a new cluster in a temporary folder on
a free loopback port. PostgreSQL refuses to run as root, so under root (CI)
the server runs as the `postgres` user the package creates, through
`runuser`. fsync is off: the cluster lives for one test session.

`Cluster.new_database()` hands out an empty database per test, cloned from a
template that is already migrated (CREATE DATABASE … TEMPLATE is a file
copy, far quicker than running the migrations again).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

SUPERUSER = "reelroom"
TEMPLATE = "reelroom_template"


class NoPostgres(RuntimeError):
    """The PostgreSQL server binaries are not installed."""


def find_bindir() -> Path:
    """The newest installed PostgreSQL's bin folder."""
    env = os.environ.get("REELROOM_PG_BINDIR")
    candidates = (
        [env]
        if env
        else sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    )
    for found in reversed(candidates):
        if found and (Path(found) / "initdb").exists():
            return Path(found)
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise NoPostgres(
        "the team-mode tests need PostgreSQL's server binaries (initdb, pg_ctl): run ./rr "
        "setup as root or with sudo, or `sudo apt-get install -y postgresql`."
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One running PostgreSQL server in a temporary folder."""

    def __init__(self, *, durable: bool = False) -> None:
        # durable: fsync on (a crash loses at most the last moments, as SQLite's
        # WAL with synchronous=NORMAL), for benchmarks; tests run with fsync off.
        self.durable = durable
        self.bindir = find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="reelroom-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres")
            os.chmod(self.root, 0o700)
        self._counter = 0

    def _run(self, *argv: str) -> None:
        subprocess.run(
            [*self._as, *argv], check=True, capture_output=True, text=True, cwd=self.root
        )

    def start(self) -> Cluster:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        safety = (
            "-c synchronous_commit=off"
            if self.durable
            else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} {safety} "
            "-c max_connections=200 -c shared_buffers=64MB"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(self.url(), autocommit=True)

    def make_template(self) -> None:
        """The migrated database every test database is cloned from."""
        from storage import Store

        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {TEMPLATE}")
        store = Store(self.url(TEMPLATE))
        store.close()
        with self.admin() as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (TEMPLATE,),
            )

    def new_database(self, *, template: bool = True) -> str:
        """A fresh database (migrated, unless `template` is False); its URL."""
        self._counter += 1
        name = f"rr_{os.getpid()}_{self._counter}"
        with self.admin() as conn:
            if template:
                for _ in range(50):  # a just-closed connection may linger on the template
                    try:
                        conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
                        break
                    except psycopg.errors.ObjectInUse:
                        time.sleep(0.1)
                else:
                    conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
            else:
                conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with contextlib.suppress(psycopg.Error), self.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
