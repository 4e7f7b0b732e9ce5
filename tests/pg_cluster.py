"""A throwaway PostgreSQL cluster for tests: real server, temp dir, 127.0.0.1, ephemeral port.

Import the fixtures into a test module (`from tests.pg_cluster import pg_cluster, pg_dsn`);
this is deliberately not a conftest.py. The cluster is created with the server binaries of
Debian's `postgresql` package (`/usr/lib/postgresql/<version>/bin`, else `initdb` on PATH)
and torn down at the end of the session. Missing PostgreSQL is a test FAILURE, never a
skip: CI installs it (`scripts/setup.sh`), so its absence means a broken machine.

As root, `initdb` and `postgres` refuse to run: they run as the `postgres` user (created by
the Debian package; when absent a system user `contact-auditor-pg` is made) through
`runuser`, and the temp dir is given to that user.

Durability is traded for speed (`fsync=off`): a test never survives a power cut anyway.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

LOOPBACK = "127.0.0.1"
INSTALL_HINT = "install it with `apt-get install -y postgresql` (scripts/setup.sh does)"


def find_pg_bin() -> Path:
    """The folder with initdb, pg_ctl and postgres (highest installed version)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parts[-3].split(".")],
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    raise RuntimeError(f"PostgreSQL server binaries (initdb, pg_ctl) not found: {INSTALL_HINT}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def _server_user() -> str | None:
    """The user to run the server as when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "contact-auditor-pg"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "contact-auditor-pg"],
        check=True,
    )
    return "contact-auditor-pg"


class PgCluster:
    def __init__(self) -> None:
        self.bin = find_pg_bin()
        self.user = _server_user()
        self.dir = Path(tempfile.mkdtemp(prefix="ca-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.port = 0
        if self.user:
            pw = pwd.getpwnam(self.user)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        os.chmod(self.dir, 0o700)

    def _run(self, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = list(argv)
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.dir)
        if proc.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr[-2000:]}\n{log}")
        return proc

    def start(self) -> "PgCluster":
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )
        for attempt in range(5):  # another process may take the port between probe and bind
            self.port = _free_port()
            opts = (
                f"-c listen_addresses={LOOPBACK} -p {self.port} -k {self.dir} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=200 -c shared_buffers=32MB"
            )
            try:
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                          "-o", opts, "-w", "-t", "60", "start")
                return self
            except RuntimeError:
                if attempt == 4:
                    raise
                time.sleep(0.2)
        return self

    def stop(self) -> None:
        if not self.dir.exists():
            return
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
        except (RuntimeError, subprocess.TimeoutExpired):
            pass
        pid_file = self.data / "postmaster.pid"
        try:  # pg_ctl could not stop it: the postmaster's pid is the first line
            pid = int(pid_file.read_text().split()[0])
            if str(self.data) in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                os.kill(pid, signal.SIGKILL)  # ours, not a recycled pid
        except (OSError, ValueError, IndexError):
            pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def dsn(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@{LOOPBACK}:{self.port}/{dbname}"

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database; its DSN."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)


@pytest.fixture(scope="session")
def pg_cluster():
    try:
        cluster = PgCluster()
        atexit.register(cluster.stop)  # also when the session ends without finalizers
        cluster.start()
    except RuntimeError as exc:
        pytest.fail(f"cannot start a test PostgreSQL: {exc}", pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_dsn(pg_cluster: PgCluster) -> str:
    """A fresh, empty database on the session's cluster."""
    return pg_cluster.create_database()
